using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DelaySim.Host.Output;

/// <summary>
/// A scenario's JSON, the text its hash is taken over: its records walked by reflection onto a
/// <see cref="Utf8JsonWriter"/>, giving the bytes System.Text.Json's serializer writes with the same options (public
/// properties in declaration order under their declared types, kebab-case names, enums as kebab-case strings, nulls
/// written unless <see cref="JsonIgnoreAttribute"/> says otherwise (always, when null, when default), indented, relaxed escaping; a test compares the
/// two on every shipped scenario). It exists because the serializer's generic metadata for the scenario's types, about
/// 1,400 methods compiled on first use, was the largest fixed cost of a run (0.13 s of a 0.2 s <c>validate</c>).
/// </summary>
internal static class CanonicalJson
{
    static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonNamingPolicy Names = JsonNamingPolicy.KebabCaseLower;

    // A run asks for the same record's JSON several times (the hash, the manifest, each cell's data key): it is written
    // once per instance, so each property getter runs once by reflection (a second call emits an invoke stub, which the
    // JIT compiles: about 50 of them a run; docs/PERFORMANCE.md). The records are immutable.
    static readonly ConditionalWeakTable<object, Tuple<Type, string>> Written = new();

    public static string Of<T>(T value)
    {
        if (value is not null && Written.TryGetValue(value, out var known) && known.Item1 == typeof(T)) return known.Item2;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options)) Write(writer, value, typeof(T));
        var json = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (value is not null) Written.AddOrUpdate(value, Tuple.Create(typeof(T), json));
        return json;
    }

    // The walk reaches the scenario's record types through their properties, which no annotation can follow. The native
    // build keeps them whole: it roots DelaySim's assemblies (src/Host/DelaySim.Host.csproj), and its CI run compares a
    // native run's manifest, whose hash is this text, with the JIT build's.
    const string Rooted = "DelaySim's assemblies are rooted whole in the native build";

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Rooted)]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = Rooted)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = Rooted)]
    static void Write(Utf8JsonWriter writer, object? value, Type declared)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); return;
            case string s: writer.WriteStringValue(s); return;
            case bool b: writer.WriteBooleanValue(b); return;
            case Enum e when Enum.IsDefined(e.GetType(), e): writer.WriteStringValue(Names.ConvertName(e.ToString())); return;
            case double d: writer.WriteNumberValue(d); return;
            case float f: writer.WriteNumberValue(f); return;
            case int i: writer.WriteNumberValue(i); return;
            case long l: writer.WriteNumberValue(l); return;
            case ulong u: writer.WriteNumberValue(u); return;
            case uint u: writer.WriteNumberValue(u); return;
            case decimal m: writer.WriteNumberValue(m); return;
            case IDictionary dictionary:
                writer.WriteStartObject();
                var valueType = ElementType(declared, 1);
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!);
                    Write(writer, entry.Value, valueType);
                }
                writer.WriteEndObject();
                return;
            case IEnumerable items:
                writer.WriteStartArray();
                var itemType = ElementType(declared, 0);
                foreach (var item in items) Write(writer, item, itemType);
                writer.WriteEndArray();
                return;
        }
        // An object is written as its declared type, as the serializer does (only `object` takes the runtime type).
        var type = declared == typeof(object) ? value.GetType() : Nullable.GetUnderlyingType(declared) ?? declared;
        // Anything else the serializer writes its own way (char, DateTime, an undefined enum value, a struct): refuse
        // rather than hash different bytes.
        if (type.IsValueType) throw new NotSupportedException($"scenario JSON: {type.Name} values are not written as the serializer writes them");
        writer.WriteStartObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true }) continue;
            var ignore = property.GetCustomAttribute<JsonIgnoreAttribute>();
            if (ignore?.Condition == JsonIgnoreCondition.Always) continue;
            var v = property.GetValue(value);
            if (v is null && ignore?.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault) continue;
            if (ignore?.Condition == JsonIgnoreCondition.WhenWritingDefault && property.PropertyType.IsValueType
                && Equals(v, Activator.CreateInstance(property.PropertyType))) continue;
            writer.WritePropertyName(Names.ConvertName(property.Name));
            Write(writer, v, property.PropertyType);
        }
        writer.WriteEndObject();
    }

    /// <summary>T of IEnumerable&lt;T&gt; (<paramref name="argument"/> 0), or TValue of a dictionary's key–value pairs (1).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Rooted)]
    static Type ElementType(Type declared, int argument)
    {
        var enumerable = declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? declared
            : declared.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        if (enumerable is null) return typeof(object);
        var element = enumerable.GetGenericArguments()[0];
        return argument == 0 ? element : element.GetGenericArguments()[1];
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DelaySim.Host.Output;

/// <summary>
/// Small JSON texts written straight onto a <see cref="Utf8JsonWriter"/>, as the serializer would write them (same
/// escaping, same indentation), without starting System.Text.Json's reflection serializer for a few values.
/// </summary>
internal static class JsonText
{
    public static string Write(Action<Utf8JsonWriter> write, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            write(json);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary><paramref name="value"/> as a JSON string literal, quotes included.</summary>
    public static string Quote(string value) => Write(json => json.WriteStringValue(value));
}

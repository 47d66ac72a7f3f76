using System.Text;
using System.Text.Json;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Host.Output;

/// <summary>
/// A cell file's JSON, written and read by hand: the bytes System.Text.Json's reflection serializer wrote for the same
/// records (tests compare the two), without the serializer's start-up (about 150 methods compiled on every run, for its
/// converter table and emitted property accessors; docs/PERFORMANCE.md). Doubles are in shortest round-trip form and
/// NaN and infinities are the strings "NaN", "Infinity" and "-Infinity", so a cell read back is bit-identical.
/// </summary>
internal static class CellJson
{
    public static string Write(string cell, IReadOnlyList<ReplicateResult> replicates) => JsonText.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("Cell", cell);
        json.WriteStartArray("Replicates");
        foreach (var r in replicates) WriteReplicate(json, r);
        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>
    /// The cell file of a cell whose replicates were written in parts (<see cref="Write"/>, one text per part, in
    /// replicate order): the bytes <see cref="Write"/> gives for all of them, without reading the parts back. Every
    /// replicate's JSON is the same wherever it stands in the array; only the commas between them are new.
    /// </summary>
    public static string Concat(string cell, IReadOnlyList<string> parts)
    {
        var empty = Write(cell, []);     // {"Cell":…,"Replicates":[]}
        var head = empty[..^2];          // up to the array's '['
        var text = new StringBuilder(parts.Sum(p => p.Length));
        text.Append(head);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (!part.StartsWith(head, StringComparison.Ordinal) || !part.EndsWith("]}", StringComparison.Ordinal))
                throw new ArgumentException($"part {i} is not the JSON of cell '{cell}'", nameof(parts));
            if (part.Length == empty.Length) continue;   // a part with no replicates
            if (text.Length > head.Length) text.Append(',');
            text.Append(part, head.Length, part.Length - empty.Length);
        }
        return text.Append("]}").ToString();
    }

    static void WriteReplicate(Utf8JsonWriter json, ReplicateResult r)
    {
        json.WriteStartObject();
        json.WriteNumber("Index", r.Index);
        json.WriteNumber("Seed", r.Seed);
        json.WriteStartArray("Checkpoints");
        foreach (var c in r.Checkpoints)
        {
            json.WriteStartObject();
            json.WriteNumber("Iteration", c.Iteration);
            Double(json, "Train", c.TrainLoss);
            Double(json, "Test", c.TestLoss);
            Double(json, "Population", c.PopulationRisk);
            Double(json, "TwinL2", c.TwinL2);
            Double(json, "TwinL2Squared", c.TwinL2Squared);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        Double(json, "StabilityLoss", r.StabilityLoss);
        Longs(json, "Staleness", r.StalenessCounts);
        if (r.Workers is null) json.WriteNull("Workers");
        else
        {
            json.WriteStartArray("Workers");
            foreach (var w in r.Workers)
            {
                json.WriteStartObject();
                json.WriteNumber("Updates", w.Updates);
                Longs(json, "Staleness", w.StalenessCounts);
                Double(json, "Compute", w.ComputeSum);
                Double(json, "Uplink", w.UplinkSum);
                Double(json, "Downlink", w.DownlinkSum);
                json.WriteNumber("Downlinks", w.Downlinks);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    static void Double(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    static void Longs(Utf8JsonWriter json, string name, long[] values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }

    /// <summary>The cell's name and replicates (final parameters are not kept); a <see cref="JsonException"/> names what is wrong.</summary>
    public static (string Cell, IReadOnlyList<ReplicateResult> Replicates) Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = Object(document.RootElement, "the file");
            return (Text(Property(root, "Cell")), Items(Property(root, "Replicates"), ReadReplicate));
        }
        catch (InvalidOperationException e) { throw new JsonException(e.Message, e); }
        catch (FormatException e) { throw new JsonException(e.Message, e); }
    }

    static ReplicateResult ReadReplicate(JsonElement r) =>
        new(Property(r, "Index").GetInt32(), Property(r, "Seed").GetUInt64(),
            Items(Property(r, "Checkpoints"), c => new Checkpoint(Property(c, "Iteration").GetInt64(),
                Double(Property(c, "Train")), Double(Property(c, "Test")), Double(Property(c, "Population")),
                Double(Property(c, "TwinL2")), Double(Property(c, "TwinL2Squared")))),
            Double(Property(r, "StabilityLoss")), Longs(Property(r, "Staleness")), [])
        {
            Workers = r.TryGetProperty("Workers", out var workers) && workers.ValueKind != JsonValueKind.Null
                ? Items(workers, w => WorkerStats.Restore(Property(w, "Updates").GetInt64(), Longs(Property(w, "Staleness")),
                    Double(Property(w, "Compute")), Double(Property(w, "Uplink")), Double(Property(w, "Downlink")), Property(w, "Downlinks").GetInt64()))
                : null,
        };

    static JsonElement Object(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new JsonException($"{what} is not a JSON object");

    static JsonElement Property(JsonElement e, string name) =>
        Object(e, $"the value holding '{name}'").TryGetProperty(name, out var value) ? value : throw new JsonException($"'{name}' is missing");

    static string Text(JsonElement e) => e.GetString() ?? throw new JsonException("a string is null");

    static T[] Items<T>(JsonElement e, Func<JsonElement, T> read)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new JsonException("an array was expected");
        var values = new T[e.GetArrayLength()];
        var i = 0;
        foreach (var item in e.EnumerateArray()) values[i++] = read(item);
        return values;
    }

    static long[] Longs(JsonElement e) => Items(e, v => v.GetInt64());

    static double Double(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new JsonException($"'{s}' is not a number"),
        }
        : e.GetDouble();
}

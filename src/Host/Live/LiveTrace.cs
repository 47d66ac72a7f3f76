using System.Globalization;
using DelaySim.Model;

namespace DelaySim.Host.Live;

/// <summary>
/// Reads a live run's trace.csv back and derives per-gradient delays from its clock readings (worker times moved to the
/// coordinator's clock by the node's offset in clocks.csv), for <c>fit</c>, <c>delays --against</c> and
/// measured-delays.csv alike.
/// </summary>
internal static class LiveTrace
{
    /// <summary>What a gradient's row can be turned into, each a duration in wall seconds (staleness: in versions).</summary>
    public static readonly IReadOnlyDictionary<string, Func<TraceRow, double, double>> Quantities = new Dictionary<string, Func<TraceRow, double, double>>
    {
        ["compute"] = (r, _) => r.ComputeEnd - r.Pull,                 // real compute and the injected sleep
        ["compute-real"] = (r, _) => r.Computed - r.Pull,
        ["compute-injected"] = (r, _) => r.ComputeEnd - r.Computed,
        ["uplink"] = (r, offset) => r.Arrival - (r.ComputeEnd - offset), // the injected sleep and the network
        ["uplink-injected"] = (r, _) => r.Send - r.ComputeEnd,
        ["uplink-network"] = (r, offset) => r.Arrival - (r.Send - offset),
        ["downlink"] = (r, offset) => r.Pull - offset - r.Served,
        ["round-trip"] = (r, _) => r.Arrival - r.Served,
        ["staleness"] = (r, _) => r.Step!.Value - r.Version,
        ["sleep-error-compute"] = (r, _) => r.ComputeEnd - r.Computed - r.InjectedCompute,
        ["sleep-error-uplink"] = (r, _) => r.Send - r.ComputeEnd - r.InjectedUplink,
    };

    public static bool IsTrace(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadLine() == TraceWriter.Header;
    }

    /// <summary>Every applied gradient's row, to the last complete one.</summary>
    public static IReadOnlyList<TraceRow> Read(string path)
    {
        var rows = new List<TraceRow>();
        var lines = File.ReadAllLines(path);
        var columns = TraceWriter.Header.Split(',').Length;
        for (var k = 1; k < lines.Length; k++)
        {
            var f = lines[k].Split(',');
            if (f.Length != columns)
            {
                if (k == lines.Length - 1 && f.Length < columns) break; // a torn last line
                throw new BadInputException($"{path}:{k + 1}: has {f.Length} fields, the header {columns}");
            }
            if (f[0] != "applied") continue;
            double T(int i) => double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x
                : throw new BadInputException($"{path}:{k + 1}: field {i + 1} ('{f[i]}') is not a time in seconds");
            long L(int i) => long.TryParse(f[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x
                : throw new BadInputException($"{path}:{k + 1}: field {i + 1} ('{f[i]}') is not a whole number");
            int[] samples = f[4].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i
                : throw new BadInputException($"{path}:{k + 1}: sample '{x}' is not an example index")).ToArray();
            rows.Add(new TraceRow(f[0], L(1), (int)L(2), L(3), samples, f[5],
                T(6), T(7), T(8), T(9), T(10), T(11), T(12), T(13), T(14)));
        }
        return rows;
    }

    /// <summary>Each node's clock offset from the clocks.csv beside the trace; null when there is none.</summary>
    public static IReadOnlyDictionary<string, double>? Offsets(string path)
    {
        var clocks = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, LiveFolder.ClocksFile);
        if (!File.Exists(clocks)) return null;
        var offsets = new Dictionary<string, double>();
        foreach (var (line, k) in File.ReadAllLines(clocks).Select((l, i) => (l, i)).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length != 3 || !double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var offset))
                throw new BadInputException($"{clocks}:{k + 1}: expected host,offset_seconds,round_trip_seconds");
            offsets[f[0]] = offset;
        }
        return offsets;
    }

    /// <summary>One stream per worker of <paramref name="quantity"/>, in step order.</summary>
    public static IReadOnlyDictionary<int, double[]> Streams(string path, string quantity)
    {
        if (!Quantities.TryGetValue(quantity, out var value))
            throw new BadInputException($"--value {quantity}: a live trace gives {string.Join(", ", Quantities.Keys)}");
        var offsets = Offsets(path);
        // Quantities that mix two hosts' clocks need the offsets; staleness, compute and round trips do not.
        var mixed = quantity is "uplink" or "uplink-network" or "downlink";
        double Offset(TraceRow r) => !mixed ? 0
            : offsets?.TryGetValue(r.Host, out var o) == true ? o
            : throw new BadInputException($"--value {quantity}: {path} has no clock offset for node {r.Host} ({LiveFolder.ClocksFile} is missing beside it); it mixes the node's and the coordinator's clocks");
        return Read(path).GroupBy(r => r.Worker).OrderBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Select(r => value(r, Offset(r))).ToArray());
    }
}

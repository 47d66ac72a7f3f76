using System.Globalization;

namespace DelaySim.Model.Delays;

/// <summary>How a measured table lays out its delays.</summary>
public enum TraceFormat
{
    /// <summary>One row per (worker, step) with named columns: a worker column, a step column, a value column.</summary>
    Long,
    /// <summary>One column per worker, one row per step, with or without a header; a single column serves every worker.</summary>
    Wide,
}

/// <summary>
/// Reading a measured table into a step-indexed <see cref="TraceModel"/>: the value of worker m's k-th sample, times
/// <paramref name="Scale"/> plus <paramref name="Offset"/> (units to seconds), is the delay of its steps
/// k·<paramref name="Resample"/> … (k + 1)·<paramref name="Resample"/> − 1 (a trace sampled every k iterations holds
/// each value for k steps). Plain or gzipped; every value checked, errors name the line.
/// </summary>
public sealed record TraceTable(TraceFormat Format, string WorkerColumn = "worker", string StepColumn = "step", string? ValueColumn = null,
    double Scale = 1, double Offset = 0, int Resample = 1)
{
    public TraceModel Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: trace file not found");
        var lines = Data.DataFile.Lines(path);
        var samples = Format == TraceFormat.Long ? ReadLong(path, lines) : ReadWide(path, lines);
        if (samples.Count == 0) throw new BadInputException($"{path}: no delays");
        var rows = samples.ToDictionary(p => p.Key, p => p.Value
            .SelectMany(v => Enumerable.Repeat(v, Resample)).Select((d, step) => ((double)step, d)).ToArray());
        return new TraceModel(path, ByTime: false, rows) { Shared = Format == TraceFormat.Wide && rows.Count == 1 };
    }

    double Delay(string path, int line, string field)
    {
        if (!double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new BadInputException($"{path}:{line}: '{field.Trim()}' is not a number");
        var delay = value * Scale + Offset;
        if (!(delay >= 0) || !double.IsFinite(delay))
            throw new BadInputException($"{path}:{line}: {field.Trim()} × scale {Scale} + offset {Offset} = {delay} is not a delay ≥ 0");
        return delay;
    }

    Dictionary<int, List<double>> ReadLong(string path, List<string> lines)
    {
        var header = lines.Count > 0 ? lines[0].Split(',').Select(h => h.Trim()).ToArray() : [];
        int Column(string name, string key) => Array.IndexOf(header, name) is var i and >= 0 ? i
            : throw new BadInputException($"{path}:1: no column '{name}' for {key} (the header has {string.Join(", ", header.Where(h => h != "").Select(h => $"'{h}'"))})");
        var (w, s, v) = (Column(WorkerColumn, "the worker"), Column(StepColumn, "the step"), Column(ValueColumn ?? "delay", "the value"));
        var samples = new Dictionary<int, List<double>>();
        var lastStep = new Dictionary<int, double>();
        for (var n = 1; n < lines.Count; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var fields = lines[n].Split(',');
            if (fields.Length != header.Length) throw new BadInputException($"{path}:{n + 1}: {fields.Length} fields where the header has {header.Length}");
            if (!int.TryParse(fields[w].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var worker) || worker < 0)
                throw new BadInputException($"{path}:{n + 1}: worker '{fields[w].Trim()}' is not an integer ≥ 0");
            if (!double.TryParse(fields[s].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var step))
                throw new BadInputException($"{path}:{n + 1}: step '{fields[s].Trim()}' is not a number");
            if (lastStep.TryGetValue(worker, out var last) && step <= last)
                throw new BadInputException($"{path}:{n + 1}: worker {worker}'s steps must increase ({step} after {last})");
            lastStep[worker] = step;
            if (!samples.TryGetValue(worker, out var list)) samples[worker] = list = [];
            list.Add(Delay(path, n + 1, fields[v]));
        }
        return samples;
    }

    Dictionary<int, List<double>> ReadWide(string path, List<string> lines)
    {
        var samples = new Dictionary<int, List<double>>();
        var columns = -1;
        for (var n = 0; n < lines.Count; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var fields = lines[n].Split(',');
            if (columns < 0 && fields.Any(f => !double.TryParse(f.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                columns = fields.Length; // a header
                continue;
            }
            if (columns < 0) columns = fields.Length;
            if (fields.Length != columns) throw new BadInputException($"{path}:{n + 1}: {fields.Length} fields where the table has {columns}");
            for (var m = 0; m < fields.Length; m++)
            {
                if (!samples.TryGetValue(m, out var list)) samples[m] = list = [];
                list.Add(Delay(path, n + 1, fields[m]));
            }
        }
        return samples;
    }
}

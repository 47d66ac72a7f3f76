using System.Globalization;

namespace DelaySim.Model.Delays;

/// <summary>
/// Trace replay: delays recorded elsewhere, replayed exactly. The CSV has a header <c>worker,step,delay</c> (the k-th
/// message of a worker gets the delay of its step k; steps must run 0, 1, 2, … without gaps) or <c>worker,time,delay</c>
/// (a message sent at time t gets the delay of the last row at or before t). Every worker of the run must appear.
/// Running past the end of a worker's steps is an error, not a silent wrap-around.
/// </summary>
public sealed record TraceModel(string Path, bool ByTime, IReadOnlyDictionary<int, (double Key, double Delay)[]> Rows) : DelayModel
{
    public override string Label => $"trace {System.IO.Path.GetFileName(Path)} ({(ByTime ? "by time" : "by step")}, {Rows.Count} workers)";

    public static TraceModel Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: trace file not found");
        var lines = File.ReadAllLines(path);
        var header = lines.Length > 0 ? lines[0].Trim().ToLowerInvariant().Replace(" ", "") : "";
        if (header is not ("worker,step,delay" or "worker,time,delay"))
            throw new BadInputException($"{path}:1: header must be 'worker,step,delay' or 'worker,time,delay' (got '{(lines.Length > 0 ? lines[0] : "")}')");
        var byTime = header.Contains("time");
        var rows = new Dictionary<int, List<(double, double)>>();
        for (var n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var parts = lines[n].Split(',');
            if (parts.Length != 3
                || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var worker) || worker < 0
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var key) || !double.IsFinite(key)
                || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var delay) || !(delay >= 0) || !double.IsFinite(delay))
                throw new BadInputException($"{path}:{n + 1}: expected 'worker,{(byTime ? "time" : "step")},delay' with worker ≥ 0 and delay ≥ 0, got '{lines[n]}'");
            if (!rows.TryGetValue(worker, out var list)) rows[worker] = list = [];
            if (list.Count > 0 && key <= list[^1].Item1)
                throw new BadInputException($"{path}:{n + 1}: worker {worker}'s {(byTime ? "times" : "steps")} must increase ({key} after {list[^1].Item1})");
            if (!byTime && key != list.Count)
                throw new BadInputException($"{path}:{n + 1}: worker {worker} has a gap: step {key} where step {list.Count} was expected");
            list.Add((key, delay));
        }
        if (rows.Count == 0) throw new BadInputException($"{path}: no rows after the header");
        return new TraceModel(path, byTime, rows.ToDictionary(p => p.Key, p => p.Value.ToArray()));
    }

    /// <summary>One measured stream replayed by every worker (a single-column table).</summary>
    public bool Shared { get; init; }

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        if (Shared) return Enumerable.Range(0, workers).Select(m => (IDelayStream)new Stream(this, m, Rows[0])).ToArray();
        var missing = Enumerable.Range(0, workers).Where(m => !Rows.ContainsKey(m)).ToArray();
        if (missing.Length > 0)
            throw new BadInputException($"{Path}: the run has {workers} workers but the trace has no rows for worker(s) {string.Join(", ", missing.Take(10))}");
        return Enumerable.Range(0, workers).Select(m => (IDelayStream)new Stream(this, m, Rows[m])).ToArray();
    }

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers)
    {
        var values = Rows.TryGetValue(Shared ? 0 : worker, out var r) ? r.Select(x => x.Delay).ToArray() : [0.0];
        var empirical = new EmpiricalDelay(values);
        return DeclaredStatistics.Of(empirical, DeclaredStatistics.Unknown, double.NaN) with { Cdf = ByTime ? null : empirical.Cdf };
    }

    sealed class Stream(TraceModel model, int worker, (double Key, double Delay)[] rows) : IDelayStream
    {
        int _next;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double Next(double now)
        {
            if (!model.ByTime)
            {
                if (_next >= rows.Length)
                    throw new BadInputException($"{model.Path}: worker {worker} has {rows.Length} steps; the run asked for step {_next}");
                return rows[_next++].Delay;
            }
            while (_next + 1 < rows.Length && rows[_next + 1].Key <= now) _next++;
            if (rows[_next].Key > now)
                throw new BadInputException($"{model.Path}: worker {worker}'s trace starts at time {rows[0].Key}, after a message sent at {now}");
            return rows[_next].Delay;
        }
    }
}

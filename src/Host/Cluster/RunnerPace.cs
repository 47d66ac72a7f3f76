namespace DelaySim.Host.Cluster;

/// <summary>
/// What a coordinator learns of its runners' speed during a run, to decide whether a runner whose own part is used up
/// should take a cell from another runner's part. Such a cell is <em>cold</em> on the taker: its node has not drawn that
/// part's seeds, and the draw can cost more than the cell (on the 14-cell sweep of 20 seeds it was 70 ms against 30 ms).
/// <list type="bullet">
/// <item>A runner's <em>pace</em>: seconds per unit of <see cref="WorkOrder.Estimate"/> over the warm parts it finished,
/// each timed from when it could start (when it was given, or when the runner's previous part ended, since a runner
/// holds a part queued behind the one it runs) to when it was reported.</item>
/// <item>The <em>draw</em>: what a cold part took beyond its runner's pace, averaged over the cold parts so far. A
/// runner's first part of a run also carries that run's setup on its node (the plan), so the draw is over- rather than
/// underestimated: a runner rather waits than steals.</item>
/// </list>
/// A cold cell is worth taking when the taker would finish it (draw included) before its owner could: after the owner's
/// work in hand and the cells left in its part. Until there are estimates, every cell is worth taking (as before).
/// Only which node runs a cell depends on it, never a result.
/// </summary>
internal sealed class RunnerPace
{
    sealed class Runner
    {
        public readonly Dictionary<(int Cell, int Part), (TimeSpan Given, double Units, bool Cold)> InHand = [];
        public TimeSpan LastDone;
        public double WarmSeconds, WarmUnits;
        public double? Pace => WarmUnits > 0 && WarmSeconds > 0 ? WarmSeconds / WarmUnits : null;
    }

    readonly Dictionary<string, Runner> _runners = [];
    readonly List<(Runner Runner, double Seconds, double Units)> _cold = [];

    Runner Of(string runner) => _runners.TryGetValue(runner, out var r) ? r : _runners[runner] = new Runner();

    public void Given(string runner, (int Cell, int Part) work, double units, bool cold, TimeSpan at) =>
        Of(runner).InHand[work] = (at, units, cold);

    /// <summary>The work leaves <paramref name="runner"/>'s hands; when it was given to it (null if it did not hold it).</summary>
    /// <param name="timed">False when another runner reported the work: it leaves <paramref name="runner"/>'s hands untimed.</param>
    public TimeSpan? Done(string runner, (int Cell, int Part) work, TimeSpan at, bool timed = true)
    {
        var r = Of(runner);
        if (!r.InHand.Remove(work, out var w)) return null;
        if (!timed) return w.Given;
        var seconds = (at - (w.Given > r.LastDone ? w.Given : r.LastDone)).TotalSeconds;
        r.LastDone = at;
        if (w.Cold) _cold.Add((r, seconds, w.Units));
        else (r.WarmSeconds, r.WarmUnits) = (r.WarmSeconds + seconds, r.WarmUnits + w.Units);
        return w.Given;
    }

    /// <summary>Forgets a runner that left (the coordinator puts the work it held back in the queue).</summary>
    public void Lost(string runner) => _runners.Remove(runner);

    /// <summary>Seconds a cold part took beyond its runner's pace, on average; null before any such part was timed.</summary>
    public double? DrawSeconds
    {
        get
        {
            var extra = _cold.Where(c => c.Runner.Pace is not null).Select(c => Math.Max(0, c.Seconds - c.Runner.Pace!.Value * c.Units)).ToArray();
            return extra.Length > 0 ? extra.Average() : null;
        }
    }

    /// <summary>
    /// Whether <paramref name="taker"/> should take a cell of <paramref name="units"/> from the part that
    /// <paramref name="owners"/> run, which has <paramref name="queuedUnits"/> queued (that cell included), at <paramref name="now"/>.
    /// </summary>
    public bool WorthTakingCold(string taker, IReadOnlyCollection<string> owners, double units, double queuedUnits, TimeSpan now)
    {
        var live = owners.Where(_runners.ContainsKey).Select(o => _runners[o]).ToArray();
        if (live.Length == 0) return true; // its runners are gone: nobody else will run it
        if (Of(taker).Pace is not { } pace || DrawSeconds is not { } draw || live.Any(o => o.Pace is null)) return true;
        var t = now.TotalSeconds;
        var free = live.Select(o => (Pace: o.Pace!.Value, At: FreeAt(o, t))).ToArray();
        return t + draw + pace * units < SharedEnd(free, queuedUnits);
    }

    /// <summary>
    /// When owners free at the given times, each working at its pace, finish <paramref name="units"/> between them:
    /// the time E at which Σ max(0, E − free) / pace = units (owners still busy at E take no share).
    /// </summary>
    internal static double SharedEnd(IReadOnlyList<(double Pace, double At)> owners, double units)
    {
        var sorted = owners.OrderBy(o => o.At).ToArray();
        double rate = 0, weighted = 0, end = double.PositiveInfinity;
        for (var k = 0; k < sorted.Length; k++)
        {
            (rate, weighted) = (rate + 1 / sorted[k].Pace, weighted + sorted[k].At / sorted[k].Pace);
            end = (units + weighted) / rate;
            if (k + 1 == sorted.Length || end <= sorted[k + 1].At) break;
        }
        return end;
    }

    /// <summary>
    /// When <paramref name="o"/> will be done with the work it holds, seen at <paramref name="t"/>. An owner past its
    /// expected time (a straggler, a pause) is expected to need as long again as it is late, and so is one that holds
    /// nothing but has not asked since its last report (busy with another coordinator's cells, or stuck): a runner
    /// waiting to take its part's last cells does so once the owner is late by more than the draw, never waits for good.
    /// </summary>
    static double FreeAt(Runner o, double t)
    {
        var expected = o.InHand.Count == 0 ? o.LastDone.TotalSeconds
            : Math.Max(o.LastDone.TotalSeconds, o.InHand.Values.Min(w => w.Given.TotalSeconds)) + o.Pace!.Value * o.InHand.Values.Sum(w => w.Units);
        return expected >= t ? expected : t + (t - expected);
    }
}

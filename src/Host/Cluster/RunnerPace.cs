namespace DelaySim.Host.Cluster;

/// <summary>
/// What a coordinator learns of its runners' speed during a run, to decide whether a runner whose own part is used up
/// should take a cell from another runner's part. Such a cell is <em>cold</em> on the taker: its node has not drawn that
/// part's seeds, and the draw can cost more than the cell (on the 14-cell sweep of 20 seeds it was 70 ms against 30 ms).
/// <list type="bullet">
/// <item>A runner's <em>pace</em>: seconds per unit of <see cref="WorkOrder.Estimate"/> over the warm parts it finished,
/// each timed from when it could start (when it was given, or when the runner's previous part ended, since a runner
/// holds a part queued behind the one it runs) to when it was reported.</item>
/// <item>The <em>draw</em>, per seed: what a cold part took beyond its runner's pace, over its seeds, averaged over the
/// cold parts so far. A runner's first part of a run also carries that run's setup on its node (the plan), so the draw
/// is over- rather than underestimated: a runner rather waits than steals.</item>
/// </list>
/// A cold cell is worth taking when the taker would finish it (draw included) before its owner could: after the owner's
/// work in hand and the cells left in its part. Until there are estimates, every cell is worth taking (as before).
/// When it is not, the taker may still be worth giving the last few seeds of every cell left in the part
/// (<see cref="SeedsToTake"/>, <see cref="WorkQueue.Split"/>). Only which node runs a cell depends on it, never a result.
/// </summary>
internal sealed class RunnerPace
{
    sealed class Runner
    {
        public readonly Dictionary<(int Cell, int FirstSeed), (TimeSpan Given, double Units, int Seeds, bool Cold)> InHand = [];
        public TimeSpan LastDone;
        public double WarmSeconds, WarmUnits;
        public double? Pace => WarmUnits > 0 && WarmSeconds > 0 ? WarmSeconds / WarmUnits : null;
    }

    readonly Dictionary<string, Runner> _runners = [];
    readonly List<(Runner Runner, double Seconds, double Units, int Seeds)> _cold = [];

    Runner Of(string runner) => _runners.TryGetValue(runner, out var r) ? r : _runners[runner] = new Runner();

    /// <param name="seeds">The seeds the work covers (a cold part draws their data).</param>
    public void Given(string runner, (int Cell, int FirstSeed) work, double units, int seeds, bool cold, TimeSpan at) =>
        Of(runner).InHand[work] = (at, units, seeds, cold);

    /// <summary>The work leaves <paramref name="runner"/>'s hands; when it was given to it (null if it did not hold it).</summary>
    /// <param name="timed">False when another runner reported the work: it leaves <paramref name="runner"/>'s hands untimed.</param>
    public TimeSpan? Done(string runner, (int Cell, int FirstSeed) work, TimeSpan at, bool timed = true)
    {
        var r = Of(runner);
        if (!r.InHand.Remove(work, out var w)) return null;
        if (!timed) return w.Given;
        var seconds = (at - (w.Given > r.LastDone ? w.Given : r.LastDone)).TotalSeconds;
        r.LastDone = at;
        if (w.Cold) _cold.Add((r, seconds, w.Units, w.Seeds));
        else (r.WarmSeconds, r.WarmUnits) = (r.WarmSeconds + seconds, r.WarmUnits + w.Units);
        return w.Given;
    }

    /// <summary>Forgets a runner that left (the coordinator puts the work it held back in the queue).</summary>
    public void Lost(string runner) => _runners.Remove(runner);

    /// <summary>Seconds a cold part took beyond its runner's pace, per seed, on average; null before any such part was timed.</summary>
    public double? DrawSecondsPerSeed
    {
        get
        {
            var extra = _cold.Where(c => c.Runner.Pace is not null).Select(c => Math.Max(0, c.Seconds - c.Runner.Pace!.Value * c.Units) / Math.Max(1, c.Seeds)).ToArray();
            return extra.Length > 0 ? extra.Average() : null;
        }
    }

    /// <summary>
    /// Whether <paramref name="taker"/> should take a cell of <paramref name="units"/> from the part of
    /// <paramref name="seeds"/> seeds that <paramref name="owners"/> run, which has <paramref name="queuedUnits"/> queued
    /// (that cell included), at <paramref name="now"/>.
    /// </summary>
    public bool WorthTakingCold(string taker, IReadOnlyCollection<string> owners, double units, double queuedUnits, int seeds, TimeSpan now)
    {
        var live = owners.Where(_runners.ContainsKey).Select(o => _runners[o]).ToArray();
        if (live.Length == 0) return true; // its runners are gone: nobody else will run it
        if (Of(taker).Pace is not { } pace || DrawSecondsPerSeed is not { } draw || live.Any(o => o.Pace is null)) return true;
        var t = now.TotalSeconds;
        var free = live.Select(o => (Pace: o.Pace!.Value, At: FreeAt(o, t))).ToArray();
        return t + draw * seeds + pace * units < SharedEnd(free, queuedUnits);
    }

    /// <summary>
    /// How many of the last seeds of a part of <paramref name="seeds"/> seeds, run by <paramref name="owners"/> and with
    /// <paramref name="queuedUnits"/> queued over all its seeds, <paramref name="taker"/> should run in every cell left
    /// there so that the part ends soonest: 0 when taking none is best, or nothing is known yet. The taker starts once its
    /// own work in hand is done, draws those seeds' data, then runs its share; the owners run the rest.
    /// </summary>
    public int SeedsToTake(string taker, IReadOnlyCollection<string> owners, double queuedUnits, int seeds, TimeSpan now)
    {
        var live = owners.Where(_runners.ContainsKey).Select(o => _runners[o]).ToArray();
        var mine = Of(taker);
        if (seeds < 2 || live.Length == 0 || mine.Pace is not { } pace || DrawSecondsPerSeed is not { } draw || live.Any(o => o.Pace is null)) return 0;
        var t = now.TotalSeconds;
        var free = live.Select(o => (Pace: o.Pace!.Value, At: FreeAt(o, t))).ToArray();
        var start = mine.InHand.Count == 0 ? t : Math.Max(t, FreeAt(mine, t));
        var (best, end) = (0, SharedEnd(free, queuedUnits));
        for (var k = 1; k < seeds; k++)
        {
            var taken = queuedUnits * k / seeds;
            var both = Math.Max(start + draw * k + pace * taken, SharedEnd(free, queuedUnits - taken));
            if (both < end) (best, end) = (k, both);
        }
        return best;
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

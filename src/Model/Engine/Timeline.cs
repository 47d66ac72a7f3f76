namespace DelaySim.Model.Engine;

/// <summary>What a timeline entry changes while its window is open.</summary>
public enum TimelineEffect
{
    /// <summary>η is multiplied by <see cref="TimelineEntry.Value"/> (any domain; a window in server steps).</summary>
    EtaFactor,
    /// <summary>τ_t is <see cref="TimelineEntry.Value"/> (staleness domain; a window in steps). The delay stream is still drawn, so the steps after the window see the draws they would have seen.</summary>
    Tau,
    /// <summary>Uplink delays are multiplied by <see cref="TimelineEntry.Value"/> (time domain; a window in virtual seconds): a congestion episode.</summary>
    UplinkFactor,
    /// <summary>Worker <see cref="TimelineEntry.Worker"/> is down (time domain; a window in virtual seconds): gradients arriving from it are lost, and it gets a fresh snapshot when the window closes.</summary>
    WorkerDown,
}

/// <summary>One timeline entry: an effect over the half-open window [From, To) of steps or virtual seconds.</summary>
public sealed record TimelineEntry(double From, double To, TimelineEffect Effect, double Value = 0, int Worker = -1)
{
    public bool Covers(double at) => at >= From && at < To;
}

/// <summary>
/// Scripted changes during a run: a congestion episode from step 2,000 to 3,000, a worker that fails at t = 5 s
/// and rejoins at t = 8 s, a learning-rate drop. Pure lookups, used identically by every engine.
/// </summary>
public sealed record Timeline(IReadOnlyList<TimelineEntry> Entries)
{
    public static readonly Timeline Empty = new([]);

    // Looked up on every step: a plain array (no enumerator allocation) and one flag per effect.
    readonly TimelineEntry[] _entries = Entries.ToArray();
    readonly bool _hasTau = Entries.Any(e => e.Effect == TimelineEffect.Tau);

    public double EtaFactor(long step)
    {
        var factor = 1.0;
        foreach (var e in _entries)
            if (e.Effect == TimelineEffect.EtaFactor && e.Covers(step)) factor *= e.Value;
        return factor;
    }

    /// <summary>The τ the timeline imposes at <paramref name="step"/> (the last matching entry wins), or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int? Tau(long step)
    {
        if (!_hasTau) return null;
        int? tau = null;
        foreach (var e in _entries)
            if (e.Effect == TimelineEffect.Tau && e.Covers(step)) tau = (int)e.Value;
        return tau;
    }

    public int MaxTau { get; } = Entries.Where(e => e.Effect == TimelineEffect.Tau).Select(e => (int)e.Value).DefaultIfEmpty(0).Max();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double UplinkFactor(double time)
    {
        var factor = 1.0;
        foreach (var e in _entries)
            if (e.Effect == TimelineEffect.UplinkFactor && e.Covers(time)) factor *= e.Value;
        return factor;
    }

    /// <summary>When worker <paramref name="worker"/> is down at <paramref name="time"/>, the time it comes back; otherwise null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double? DownUntil(int worker, double time)
    {
        double? until = null;
        foreach (var e in _entries)
            if (e.Effect == TimelineEffect.WorkerDown && e.Worker == worker && e.Covers(time)) until = Math.Max(until ?? 0, e.To);
        return until;
    }
}

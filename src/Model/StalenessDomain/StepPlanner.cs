using DelaySim.Model.Engine;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.StalenessDomain;

/// <summary>
/// Plans server steps in order t = 0, 1, 2, …: the delay τ_t (from the "delay" stream), the stale version
/// v_t = max(0, t − τ_t) whose parameters the gradient is taken at, and the mini-batch indices (from the "samples"
/// stream). Every engine and every twin consumes the same plan, which is what couples twin runs and makes engines agree.
/// </summary>
internal sealed class StepPlanner
{
    readonly IStalenessSequence _staleness;
    readonly BatchSampler _sampler;
    readonly IRecordedBatches? _recorded; // a replayed recording fixes the batches too

    readonly Timeline _timeline;

    /// <param name="delayStream">The stream τ_t is drawn from: "delay", or "delay/twin/k" for a twin with its own delays.</param>
    public StepPlanner(IStaleness staleness, int n, int batch, Sampling sampling, ulong seed, Timeline? timeline = null, string delayStream = "delay")
    {
        _timeline = timeline ?? Timeline.Empty;
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch));
        _staleness = staleness.Start(seed, delayStream);
        _recorded = staleness as IRecordedBatches;
        Batch = batch;
        _sampler = new BatchSampler(BatchSampler.All(n), sampling, Streams.For(seed, "samples"));
    }

    public int Batch { get; }

    /// <summary>The step the next call plans.</summary>
    public long NextStep { get; private set; }

    /// <summary>Plans step <see cref="NextStep"/>: fills <paramref name="batch"/> and returns the stale version v_t.</summary>
    public long Next(Span<int> batch)
    {
        var t = NextStep++;
        var tau = _staleness.Next(t);
        if (_timeline.Tau(t) is { } scripted) tau = scripted; // the draw above still happens: later steps are unchanged
        if (_recorded is null) _sampler.Fill(batch);
        else _recorded.Fill(t, batch);
        return Math.Max(0, t - tau);
    }
}

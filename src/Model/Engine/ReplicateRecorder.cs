using DelaySim.Model.TimeDomain;

namespace DelaySim.Model.Engine;

/// <summary>
/// Turns what a server reports (checkpoints, then the end of the run) into a <see cref="ReplicateResult"/>, the same
/// way for every engine and domain: the monitor actor wraps one, the direct loops call one. A part (one trajectory run
/// alone, see <see cref="IndependentTwins"/>) keeps its raw checkpoints instead: it is measured when the parts merge.
/// Measurements do not steer the run (divergence is watched by the server's budget), so they may wait for a batch.
/// </summary>
public sealed class ReplicateRecorder(Replicate replicate, int index)
{
    /// <summary>How many parameter values the recorder holds before it evaluates what it has (a few MB at most).</summary>
    const long HoldValues = 1 << 20;

    readonly List<Checkpoint> _checkpoints = [];
    readonly List<(long Iteration, double[][] Parameters)> _held = [];
    long _heldValues;

    /// <summary>The parameters of every trajectory after <paramref name="iteration"/> updates (copies the recorder may keep).</summary>
    public void Checkpoint(long iteration, double[][] parameters)
    {
        // Checkpoints are evaluated in batches, so a replicate's data is read once per batch, not once per checkpoint.
        _held.Add((iteration, parameters));
        _heldValues += parameters.Sum(p => (long)p.Length);
        if (!replicate.IsPart && _heldValues >= HoldValues) Evaluate();
    }

    public ReplicateResult Finish(double[][] final, long[] stalenessCounts, IReadOnlyList<WorkerStats>? workers = null)
    {
        if (!replicate.IsPart) Evaluate();
        double[] terms = replicate.IsPart ? [] : Evaluator.StabilityTerms(replicate, Evaluator.AsMemory(final));
        return new(index, replicate.Seed, replicate.IsPart ? _held.Select(c => Engine.Checkpoint.Unevaluated(c.Iteration)).ToArray() : _checkpoints.ToArray(),
            Evaluator.StabilityLoss(terms), stalenessCounts, final)
        {
            StabilityTwinVariance = StabilityPrecision.TwinVariance(terms),
            Workers = workers,
            RawCheckpoints = replicate.IsPart ? _held.ToArray() : null,
        };
    }

    void Evaluate()
    {
        if (_held.Count == 0) return;
        _checkpoints.AddRange(Evaluator.Evaluate(replicate, _held));
        _held.Clear();
        _heldValues = 0;
    }
}

using DelaySim.Model.TimeDomain;

namespace DelaySim.Model.Engine;

/// <summary>
/// Turns what a server reports (checkpoints, then the end of the run) into a <see cref="ReplicateResult"/>, the same
/// way for every engine and domain: the monitor actor wraps one, the direct loops call one. A part (one trajectory run
/// alone, see <see cref="IndependentTwins"/>) keeps its raw checkpoints instead: it is measured when the parts merge.
/// </summary>
public sealed class ReplicateRecorder(Replicate replicate, int index)
{
    readonly List<Checkpoint> _checkpoints = [];
    readonly List<(long Iteration, double[][] Parameters)> _raw = [];

    /// <summary>The parameters of every trajectory after <paramref name="iteration"/> updates (copies the recorder may keep).</summary>
    public void Checkpoint(long iteration, double[][] parameters)
    {
        if (!replicate.IsPart)
        {
            _checkpoints.Add(Evaluator.Evaluate(replicate, iteration, Evaluator.AsMemory(parameters)));
            return;
        }
        _checkpoints.Add(Engine.Checkpoint.Unevaluated(iteration));
        _raw.Add((iteration, parameters));
    }

    public ReplicateResult Finish(double[][] final, long[] stalenessCounts, IReadOnlyList<WorkerStats>? workers = null) =>
        new(index, replicate.Seed, _checkpoints.ToArray(),
            replicate.IsPart ? double.NaN : Evaluator.StabilityLoss(replicate, Evaluator.AsMemory(final)), stalenessCounts, final)
        {
            Workers = workers,
            RawCheckpoints = replicate.IsPart ? _raw.ToArray() : null,
        };
}

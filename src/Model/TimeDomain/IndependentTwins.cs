using DelaySim.Model.Engine;

namespace DelaySim.Model.TimeDomain;

/// <summary>
/// Time-domain twins with independent delays: each trajectory runs as its own simulation (<see cref="Replicate.Part"/>)
/// with the same initial point and per-worker sample streams but its own compute, uplink and downlink streams, so which
/// gradient lands when differs between S and S^(i). Trajectory 0 runs first; its final step caps the twins, so all end at
/// the same step and share checkpoints. The merge evaluates every checkpoint with all trajectories, as a coupled run
/// would. Both engines call this with their own way of running one part, so they give the same bits. Memory: every
/// part's parameters at every checkpoint are held until the merge, (K + 1) × checkpoints × d doubles per replicate.
/// </summary>
public static class IndependentTwins
{
    public static bool Applies(Replicate replicate) =>
        replicate.Spec.Time is not null && replicate.Spec.IndependentTwinDelays && !replicate.IsPart && replicate.Trajectories > 1;

    public static async Task<ReplicateResult> RunAsync(Replicate replicate, int index, Func<Replicate, Task<ReplicateResult>> runPart)
    {
        var parts = new ReplicateResult[replicate.Trajectories];
        parts[0] = await runPart(replicate.Part(0));
        var steps = Raw(parts[0])[^1].Iteration;
        for (var k = 1; k < parts.Length; k++) parts[k] = await runPart(replicate.Part(k, steps));

        var main = Raw(parts[0]);
        for (var k = 1; k < parts.Length; k++)
            if (!Raw(parts[k]).Select(c => c.Iteration).SequenceEqual(main.Select(c => c.Iteration)))
                throw new InvalidOperationException($"twin {k} reached checkpoints {string.Join(",", Raw(parts[k]).Select(c => c.Iteration))}, trajectory 0 {string.Join(",", main.Select(c => c.Iteration))}");
        var checkpoints = main.Select((c, j) =>
            Evaluator.Evaluate(replicate, c.Iteration, parts.Select(p => (ReadOnlyMemory<double>)Raw(p)[j].Parameters[0]).ToArray())).ToArray();
        var final = parts.Select(p => p.FinalParameters[0]).ToArray();
        return new ReplicateResult(index, replicate.Seed, checkpoints, Evaluator.StabilityLoss(replicate, Results.AsMemory(final)), parts[0].StalenessCounts, final)
        {
            Workers = parts[0].Workers,
        };
    }

    static IReadOnlyList<(long Iteration, double[][] Parameters)> Raw(ReplicateResult part) =>
        part.RawCheckpoints ?? throw new InvalidOperationException("a part's result must keep its raw checkpoints");
}

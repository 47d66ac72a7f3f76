using DelaySim.Model.Engine;

namespace DelaySim.Model.TimeDomain;

/// <summary>
/// Time-domain twins with independent delays: each trajectory runs as its own simulation (<see cref="Replicate.Part"/>)
/// with the same initial point and per-worker sample streams but its own compute, uplink and downlink streams, so which
/// gradient lands when differs between S and S^(i). Trajectory 0 runs first; its final step caps the twins, so all end at
/// the same step and share checkpoints. The merge evaluates every checkpoint with all trajectories, as a coupled run
/// would. Both engines call this with their own way of running one part, so they give the same bits.
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

        var checkpoints = Raw(parts[0]).Select((c, j) =>
        {
            var parameters = parts.Select((p, k) =>
            {
                var raw = Raw(p);
                if (raw.Count != Raw(parts[0]).Count || raw[j].Iteration != c.Iteration)
                    throw new InvalidOperationException($"twin {k} reached checkpoints {string.Join(",", raw.Select(r => r.Iteration))}, trajectory 0 {string.Join(",", Raw(parts[0]).Select(r => r.Iteration))}");
                return (ReadOnlyMemory<double>)raw[j].Parameters[0];
            }).ToArray();
            return Evaluator.Evaluate(replicate, c.Iteration, parameters);
        }).ToArray();
        var final = parts.Select(p => p.FinalParameters[0]).ToArray();
        return new ReplicateResult(index, replicate.Seed, checkpoints, Evaluator.StabilityLoss(replicate, Results.AsMemory(final)), parts[0].StalenessCounts, final)
        {
            Workers = parts[0].Workers,
        };
    }

    static IReadOnlyList<(long Iteration, double[][] Parameters)> Raw(ReplicateResult part) =>
        part.RawCheckpoints ?? throw new InvalidOperationException("a part's result must keep its raw checkpoints");
}

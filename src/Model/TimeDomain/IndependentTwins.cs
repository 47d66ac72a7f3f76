using DelaySim.Model.Engine;

namespace DelaySim.Model.TimeDomain;

/// <summary>
/// Time-domain twins with independent delays: each trajectory runs as its own simulation (<see cref="Replicate.Part"/>)
/// with the same initial point and per-worker sample streams but its own compute, uplink and downlink streams, so which
/// gradient lands when differs between S and S^(i). Trajectory 0 runs first; its final step caps the twins, so all end at
/// the same step and share checkpoints. Every checkpoint is measured as a coupled run would measure it; both engines call
/// this with their own way of running one part, so they give the same bits. Memory: trajectory 0's checkpoints and one
/// twin's at a time (2 × checkpoints × d doubles per replicate).
/// </summary>
public static class IndependentTwins
{
    /// <summary>
    /// Runs <paramref name="replicate"/> with <paramref name="runOne"/> (one engine's way of running one simulation):
    /// as its parts, merged, when its twins have independent time-domain delays, else as it is. Both engines call this.
    /// </summary>
    public static Task<ReplicateResult> Run(Replicate replicate, int index, Func<Replicate, Task<ReplicateResult>> runOne) =>
        Applies(replicate) ? RunAsync(replicate, index, runOne) : runOne(replicate);

    static bool Applies(Replicate replicate) =>
        replicate.Spec.Time is not null && replicate.Spec.IndependentTwinDelays && !replicate.IsPart && replicate.Trajectories > 1;

    static async Task<ReplicateResult> RunAsync(Replicate replicate, int index, Func<Replicate, Task<ReplicateResult>> runPart)
    {
        var main = await runPart(replicate.Part(0));
        var raw = Raw(main);
        var twins = replicate.Trajectories - 1;
        // Twin distances are summed as each twin finishes, k = 1..K in order: the arithmetic of Evaluator.Evaluate, without
        // holding every twin's checkpoints at once.
        var sum = new double[raw.Count];
        var sumOfSquares = new double[raw.Count];
        var final = new double[replicate.Trajectories][];
        final[0] = main.FinalParameters[0];
        for (var k = 1; k <= twins; k++)
        {
            var twin = await runPart(replicate.Part(k, raw[^1].Iteration));
            var twinRaw = Raw(twin);
            if (!twinRaw.Select(c => c.Iteration).SequenceEqual(raw.Select(c => c.Iteration)))
                throw new InvalidOperationException($"twin {k} reached checkpoints {string.Join(",", twinRaw.Select(c => c.Iteration))}, trajectory 0 {string.Join(",", raw.Select(c => c.Iteration))}");
            for (var j = 0; j < raw.Count; j++)
            {
                var distance = Problems.Kernels.Distance(raw[j].Parameters[0], twinRaw[j].Parameters[0]);
                sum[j] += distance;
                sumOfSquares[j] += distance * distance;
            }
            final[k] = twin.FinalParameters[0];
        }
        var checkpoints = Evaluator.Evaluate(replicate, raw.Select(c => (c.Iteration, new[] { c.Parameters[0] })).ToArray()).Select((c, j) => c with
        {
            TwinL2 = sum[j] / twins,
            TwinL2Squared = sumOfSquares[j] / twins,
        }).ToArray();
        var terms = Evaluator.StabilityTerms(replicate, Evaluator.AsMemory(final));
        return new ReplicateResult(index, replicate.Seed, checkpoints, Evaluator.StabilityLoss(terms), main.StalenessCounts, final)
        {
            StabilityTwinVariance = StabilityPrecision.TwinVariance(terms),
            Workers = main.Workers,
        };
    }

    static IReadOnlyList<(long Iteration, double[][] Parameters)> Raw(ReplicateResult part) =>
        part.RawCheckpoints ?? throw new InvalidOperationException("a part's result must keep its raw checkpoints");
}

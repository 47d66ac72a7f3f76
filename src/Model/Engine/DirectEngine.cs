using DelaySim.Model.Problems;

namespace DelaySim.Model.Engine;

/// <summary>
/// Delayed SGD in the staleness domain on one thread, without actors: for t = 0..T−1,
/// w_{t+1} = w_t − η·(1/b)Σ_j ∇f(w_{v_t}; z_j), v_t = max(0, t − τ_t), for trajectory 0 on S and for the K coupled
/// twins on S^(i_k) with the same plan (or, with independent twin delays, the same batches and their own τ_t). It is the oracle the actor engine must match bit for bit, and the speed baseline.
/// </summary>
public static class DirectEngine
{
    public static ReplicateResult Run(Replicate replicate, int index)
    {
        if (replicate.Spec.Time is not null) return TimeDomain.TimeLoop.Run(replicate, index);
        var spec = replicate.Spec;
        var problem = replicate.Problem;
        var histories = replicate.TrainSets.Select(_ => new ParameterHistory(replicate.InitialParameters, spec.MaxStaleness)).ToArray();
        var planners = spec.Planners(replicate);
        var versions = new long[histories.Length];
        var batch = new int[spec.Batch];
        var gradient = new double[problem.ParameterCount];
        var staleness = new long[spec.MaxStaleness + 1];
        var checkpoints = new List<Checkpoint> { Evaluator.Evaluate(replicate, 0, Current(histories)) };

        var initialNorm = DelaySim.Model.Problems.Kernels.Norm(replicate.InitialParameters);
        for (var t = 0; t < spec.Iterations; t++)
        {
            // With independent twin delays each twin has its own planner; all share the sample stream, so the batch is the same.
            for (var p = 0; p < planners.Length; p++) versions[p] = planners[p].Next(batch);
            staleness[t - versions[0]]++;
            var eta = spec.EtaAt(t);
            for (var k = 0; k < histories.Length; k++)
            {
                problem.BatchGradient(histories[k].At(versions[planners.Length == 1 ? 0 : k]), replicate.TrainSets[k], batch, gradient);
                histories[k].Step(gradient, eta);
            }
            if (!Evaluator.IsCheckpoint(t + 1, spec.CheckpointEvery, spec.Iterations)) continue;
            checkpoints.Add(Evaluator.Evaluate(replicate, t + 1, Current(histories)));
            if (Divergence.Exploded(histories[0].Current, initialNorm)) break;
        }
        var final = Current(histories);
        return new ReplicateResult(index, replicate.Seed, checkpoints, Evaluator.StabilityLoss(replicate, final), staleness,
            final.Select(m => m.ToArray()).ToArray());
    }

    static ReadOnlyMemory<double>[] Current(ParameterHistory[] histories) =>
        histories.Select(h => (ReadOnlyMemory<double>)h.Current.ToArray()).ToArray();
}

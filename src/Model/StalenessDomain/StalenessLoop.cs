using DelaySim.Model.Engine;

namespace DelaySim.Model.StalenessDomain;

/// <summary>
/// The direct (actor-free) engine of the staleness domain: drives <see cref="StalenessServer"/> on one thread, computing
/// each step's gradients just before they are applied (the snapshots are still valid then), with one set of buffers.
/// </summary>
public static class StalenessLoop
{
    public static ReplicateResult Run(Replicate replicate, int index)
    {
        var server = new StalenessServer(replicate);
        var slots = replicate.Spec.MaxStaleness + 1;
        var pending = new StepWork[slots];
        var due = new List<StepWork>();
        var gradients = replicate.TrainSets.Select(_ => new double[replicate.Problem.ParameterCount]).ToArray();
        var checkpoints = new List<Checkpoint>();
        server.Begin(due);
        Measure(replicate, server, checkpoints);
        while (!server.Finished)
        {
            foreach (var work in due) pending[work.Step % slots] = work;
            due.Clear();
            var next = pending[server.Version % slots];
            next.Compute(replicate, gradients);
            server.Apply(next, gradients, due);
            Measure(replicate, server, checkpoints);
        }
        var final = server.Parameters;
        return new ReplicateResult(index, replicate.Seed, checkpoints, Evaluator.StabilityLoss(replicate, Evaluator.AsMemory(final)), server.StalenessCounts, final);
    }

    /// <summary>Evaluates the checkpoints reached since the last call, so only one set of parameters is held at a time.</summary>
    static void Measure(Replicate replicate, StalenessServer server, List<Checkpoint> checkpoints)
    {
        foreach (var (iteration, parameters) in server.TakeCheckpoints())
            checkpoints.Add(Evaluator.Evaluate(replicate, iteration, Evaluator.AsMemory(parameters)));
    }
}

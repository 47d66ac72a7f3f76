using DelaySim.Model.Engine;

namespace DelaySim.Model.StalenessDomain;

/// <summary>
/// The direct (actor-free) engine of the staleness domain: drives <see cref="StalenessServer"/> on one thread, computing
/// each step's gradients just before they are applied (the snapshots are still valid then), with one set of buffers.
/// </summary>
internal static class StalenessLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReplicateResult Run(Replicate replicate, int index)
    {
        var server = new StalenessServer(replicate);
        var slots = replicate.Spec.MaxStaleness + 1;
        var pending = new StepWork[slots];
        var gradients = replicate.TrainSets.Select(_ => new double[replicate.Problem.ParameterCount]).ToArray();
        var recorder = new ReplicateRecorder(replicate, index);
        var due = server.Begin();
        Measure(server, recorder);
        var slot = 0; // server.Version mod slots; due steps are Version..Version + τ̂
        while (!server.Finished)
        {
            foreach (var work in due)
            {
                var at = slot + (int)(work.Step - server.Version);
                pending[at >= slots ? at - slots : at] = work;
            }
            var next = pending[slot];
            next.Compute(replicate, gradients);
            due = server.Apply(next, gradients);
            slot = slot + 1 == slots ? 0 : slot + 1;
            if (server.AtCheckpoint) Measure(server, recorder);
        }
        return recorder.Finish(server.Parameters, server.StalenessCounts);
    }

    /// <summary>Evaluates the checkpoints reached since the last call, so only one set of parameters is held at a time.</summary>
    static void Measure(StalenessServer server, ReplicateRecorder recorder)
    {
        foreach (var (iteration, parameters) in server.TakeCheckpoints()) recorder.Checkpoint(iteration, parameters);
    }
}

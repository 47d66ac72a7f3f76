using DelaySim.Model.Engine;
using DelaySim.Model.Simulation;

namespace DelaySim.Model.TimeDomain;

/// <summary>
/// The direct (actor-free) engine of the time domain: one event queue, events handled one at a time in
/// (time, insertion) order. That is the order the clock actor's batches produce, so both engines give the same bits.
/// </summary>
internal static class TimeLoop
{
    /// <param name="recycle">Snapshots and gradients reuse the arrays of those already applied (the same bits; off only to test that).</param>
    public static ReplicateResult Run(Replicate replicate, int index, bool recycle = true) =>
        IndependentTwins.Run(replicate, index, one => Task.FromResult(RunOne(one, index, recycle))).GetAwaiter().GetResult();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static ReplicateResult RunOne(Replicate replicate, int index, bool recycle)
    {
        var server = new TimeServer(replicate) { Recycle = recycle };
        var workers = TimeWorker.CreateAll(replicate, recycle: recycle);
        var queue = new EventQueue<Outgoing>();
        foreach (var e in server.Begin(0)) queue.Enqueue(e.Time, e);
        var batch = new List<Outgoing>();
        while (queue.TryDequeueBatch(batch, out var now))
        {
            foreach (var e in batch)
            {
                if (e.Target.IsServer)
                    foreach (var next in server.Handle(now, e.Payload)) queue.Enqueue(next.Time, next);
                else
                {
                    var next = workers[e.Target.Worker].Handle(now, (Snapshot)e.Payload);
                    queue.Enqueue(next.Time, next);
                }
            }
        }
        var recorder = new ReplicateRecorder(replicate, index);
        foreach (var (iteration, parameters) in server.TakeCheckpoints()) recorder.Checkpoint(iteration, parameters);
        return recorder.Finish(server.Parameters, server.StalenessCounts, server.Workers);
    }
}

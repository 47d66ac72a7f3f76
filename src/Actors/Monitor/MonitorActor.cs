using Akka.Actor;
using DelaySim.Model.Engine;

namespace DelaySim.Actors.Monitor;

/// <summary>
/// Gathers the measurements of one replicate off the server's critical path: a thin shell around the
/// <see cref="ReplicateRecorder"/> the direct engines use, so both engines measure with the same functions.
/// </summary>
internal sealed class MonitorActor : ReceiveActor
{
    public MonitorActor(Replicate replicate, int index, IActorRef reportTo)
    {
        var recorder = new ReplicateRecorder(replicate, index);
        Receive<CheckpointReached>(c => recorder.Checkpoint(c.Iteration, c.Parameters));
        Receive<RunFinished>(f => reportTo.Tell(new ReplicateMeasured(recorder.Finish(f.Parameters, f.StalenessCounts, f.Workers))));
    }

    public static Props Props(Replicate replicate, int index, IActorRef reportTo) =>
        Akka.Actor.Props.Create(() => new MonitorActor(replicate, index, reportTo));
}

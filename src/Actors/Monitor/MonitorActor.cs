using Akka.Actor;
using DelaySim.Model.Engine;

namespace DelaySim.Actors.Monitor;

/// <summary>
/// Gathers the measurements of one replicate off the server's critical path: a thin shell around the
/// <see cref="ReplicateRecorder"/> the direct engines use, so both engines measure with the same functions.
/// An <see cref="UntypedActor"/>, as every actor made per replicate: a <c>ReceiveActor</c> builds its handlers from
/// expression trees in each new instance, which the native build can only interpret.
/// </summary>
internal sealed class MonitorActor(Replicate replicate, int index, IActorRef reportTo) : UntypedActor
{
    readonly ReplicateRecorder _recorder = new(replicate, index);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case CheckpointReached c:
                _recorder.Checkpoint(c.Iteration, c.Parameters);
                break;
            case RunFinished f:
                reportTo.Tell(new ReplicateMeasured(_recorder.Finish(f.Parameters, f.StalenessCounts, f.Workers)));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    public static Props Props(Replicate replicate, int index, IActorRef reportTo) =>
        Produce.Props(() => new MonitorActor(replicate, index, reportTo));
}

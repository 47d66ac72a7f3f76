using Akka.Actor;
using DelaySim.Actors.Clock;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Actors.TimeDomain;

/// <summary>A time-domain worker: a thin shell around the pure <see cref="TimeWorker"/>; its gradient goes to the server through the clock.</summary>
internal sealed class TimeWorkerActor(TimeWorker worker, IActorRef server) : UntypedActor
{
    // A switch, not ReceiveActor's matchers: those are expression trees compiled at start, which the native build can only
    // interpret, on every message (docs/PERFORMANCE.md, fifteenth session).
    protected override void OnReceive(object message)
    {
        if (message is not Deliver { Payload: Snapshot snapshot } d)
        {
            Unhandled(message);
            return;
        }
        var next = worker.Handle(d.Time, snapshot);
        Sender.Tell(new Handled(d.EventId, [new ScheduledEvent(next.Time, server, next.Payload)]));
    }

    public static Props Props(TimeWorker worker, IActorRef server) => Produce.Props(() => new TimeWorkerActor(worker, server));
}

using Akka.Actor;
using DelaySim.Actors.Clock;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Actors.TimeDomain;

/// <summary>A time-domain worker: a thin shell around the pure <see cref="TimeWorker"/>; its gradient goes to the server through the clock.</summary>
internal sealed class TimeWorkerActor : ReceiveActor
{
    public TimeWorkerActor(TimeWorker worker, IActorRef server)
    {
        Receive<Deliver>(d => d.Payload is Snapshot, d =>
        {
            var next = worker.Handle(d.Time, (Snapshot)d.Payload);
            Sender.Tell(new Handled(d.EventId, [new ScheduledEvent(next.Time, server, next.Payload)]));
        });
    }

    public static Props Props(TimeWorker worker, IActorRef server) => Akka.Actor.Props.Create(() => new TimeWorkerActor(worker, server));
}

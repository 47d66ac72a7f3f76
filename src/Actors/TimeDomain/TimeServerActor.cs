using Akka.Actor;
using DelaySim.Actors.Clock;
using DelaySim.Actors.Monitor;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Actors.TimeDomain;

/// <summary>
/// The time-domain parameter server: a thin shell around the pure <see cref="TimeServer"/>. It turns the server's
/// outgoing events into clock events, forwards checkpoints to the monitor and reports when the budget is spent.
/// </summary>
internal sealed class TimeServerActor : UntypedActor
{
    readonly TimeServer _server;
    readonly IActorRef _monitor;
    IReadOnlyList<IActorRef> _workers = [];
    bool _reported;

    public TimeServerActor(Replicate replicate, IActorRef monitor)
    {
        _server = new TimeServer(replicate) { Recycle = true };
        _monitor = monitor;
    }

    // A switch, not ReceiveActor's matchers: those are expression trees compiled at start, which the native build can only
    // interpret, on every message (docs/PERFORMANCE.md, fifteenth session).
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Deliver { Payload: StartTimeDomain } d: HandleStart(d); break;
            case Deliver d: HandleEvent(d); break;
            default: Unhandled(message); break;
        }
    }

    public static Props Props(Replicate replicate, IActorRef monitor) =>
        Produce.Props(() => new TimeServerActor(replicate, monitor));

    void HandleStart(Deliver deliver)
    {
        _workers = ((StartTimeDomain)deliver.Payload).Workers;
        Answer(deliver, _server.Begin(deliver.Time));
    }

    void HandleEvent(Deliver deliver) => Answer(deliver, _server.Handle(deliver.Time, deliver.Payload));

    void Answer(Deliver deliver, List<Outgoing> outgoing)
    {
        foreach (var (iteration, parameters) in _server.TakeCheckpoints())
            _monitor.Tell(new CheckpointReached(iteration, parameters));
        if (_server.Finished && !_reported)
        {
            _reported = true;
            _monitor.Tell(new RunFinished(_server.Parameters, _server.StalenessCounts, _server.Workers));
        }
        var events = new ScheduledEvent[outgoing.Count];
        for (var i = 0; i < events.Length; i++)
            events[i] = new ScheduledEvent(outgoing[i].Time, outgoing[i].Target.IsServer ? Self : _workers[outgoing[i].Target.Worker], outgoing[i].Payload);
        Sender.Tell(new Handled(deliver.EventId, events));
    }
}

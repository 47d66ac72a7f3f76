using Akka.Actor;
using DelaySim.Actors;
using DelaySim.Model.TimeDomain;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Live;

/// <summary>
/// One live worker, on a runner node, on a thread of its own: on a snapshot it sleeps the injected downlink delay, takes
/// the gradient for real (the time domain's <see cref="TimeWorker"/>: its own sample stream, the same arithmetic), sleeps
/// the injected compute and uplink delays, and sends the gradient with its clock readings to the server.
/// An <see cref="UntypedActor"/> with props from <see cref="Produce"/>: it handles a message per update, and the native
/// build interprets <c>ReceiveActor</c>'s expression trees (docs/ARCHITECTURE.md).
/// </summary>
internal sealed class LiveWorkerActor : UntypedActor
{
    readonly TimeWorker _worker;
    readonly int _index;
    readonly double _start = LiveClock.Now;
    readonly double _scale;
    readonly bool _compute, _uplink;

    public LiveWorkerActor(TimeWorker worker, int index, int incarnation, LiveSection live, ActorSelection server, string runId, string host)
    {
        (_worker, _index) = (worker, index);
        _scale = live.TimeScale;
        (_compute, _uplink) = (live.Inject.Contains("compute"), live.Inject.Contains("uplink"));
        server.Tell(new LiveReady(runId, _index, incarnation, host));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case LiveClockPing ping:
                Sender.Tell(new LiveClockPong(_index, ping.Sent, LiveClock.Now));
                break;
            case LiveSnapshot snapshot:
                Compute(snapshot);
                break;
            case LiveStop:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    void Compute(LiveSnapshot snapshot)
    {
        LiveClock.Sleep(snapshot.InjectedDownlink);
        var pull = LiveClock.Now;
        // The models' clock is virtual time: wall seconds since this worker started, divided by the time scale.
        var virtualNow = (pull - _start) / _scale;
        var outgoing = _worker.Handle(virtualNow, new Snapshot(_index, snapshot.Version, [snapshot.Parameters]));
        var arrival = (GradientArrival)outgoing.Payload;
        var injectedCompute = _compute ? arrival.ComputeTime * _scale : 0;
        var injectedUplink = _uplink ? arrival.Uplink * _scale : 0;
        var computed = LiveClock.Now;
        LiveClock.Sleep(injectedCompute); // on top of the real compute, as the hardware would add it
        var computeEnd = LiveClock.Now;
        LiveClock.Sleep(injectedUplink);
        var send = LiveClock.Now;
        Sender.Tell(new LiveGradient(_index, snapshot.Version, arrival.Gradients[0], _worker.LastBatch.ToArray(),
            pull, computed, computeEnd, send, snapshot.InjectedDownlink, injectedCompute, injectedUplink, arrival.ComputeTime, arrival.Uplink));
    }

    public static Props Props(TimeWorker worker, int index, int incarnation, LiveSection live, ActorSelection server, string runId, string host) =>
        Produce.Props(() => new LiveWorkerActor(worker, index, incarnation, live, server, runId, host)).WithDispatcher("delaysim.live-worker");
}

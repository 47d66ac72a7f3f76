using Akka.Actor;
using DelaySim.Model.TimeDomain;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Live;

/// <summary>
/// One live worker, on a runner node, on a thread of its own: on a snapshot it sleeps the injected downlink delay, takes
/// the gradient for real (the time domain's <see cref="TimeWorker"/>: its own sample stream, the same arithmetic), sleeps
/// the injected compute and uplink delays, and sends the gradient with its clock readings to the server.
/// </summary>
internal sealed class LiveWorkerActor : ReceiveActor
{
    readonly TimeWorker _worker;
    readonly int _index;
    readonly double _start = LiveClock.Now;

    public LiveWorkerActor(TimeWorker worker, int index, int incarnation, LiveSection live, ActorSelection server, string runId, string host)
    {
        (_worker, _index) = (worker, index);
        var scale = live.TimeScale;
        var (compute, uplink) = (live.Inject.Contains("compute"), live.Inject.Contains("uplink"));
        Receive<LiveClockPing>(ping => Sender.Tell(new LiveClockPong(_index, ping.Sent, LiveClock.Now)));
        Receive<LiveSnapshot>(snapshot =>
        {
            LiveClock.Sleep(snapshot.InjectedDownlink);
            var pull = LiveClock.Now;
            // The models' clock is virtual time: wall seconds since this worker started, divided by the time scale.
            var virtualNow = (pull - _start) / scale;
            var outgoing = _worker.Handle(virtualNow, new Snapshot(_index, snapshot.Version, [snapshot.Parameters]));
            var arrival = (GradientArrival)outgoing.Payload;
            var injectedCompute = compute ? arrival.ComputeTime * scale : 0;
            var injectedUplink = uplink ? arrival.Uplink * scale : 0;
            var computed = LiveClock.Now;
            LiveClock.Sleep(injectedCompute); // on top of the real compute, as the hardware would add it
            var computeEnd = LiveClock.Now;
            LiveClock.Sleep(injectedUplink);
            var send = LiveClock.Now;
            Sender.Tell(new LiveGradient(_index, snapshot.Version, arrival.Gradients[0], _worker.LastBatch.ToArray(),
                pull, computed, computeEnd, send, snapshot.InjectedDownlink, injectedCompute, injectedUplink, arrival.ComputeTime, arrival.Uplink));
        });
        Receive<LiveStop>(_ => Context.Stop(Self));
        server.Tell(new LiveReady(runId, _index, incarnation, host));
    }

    public static Props Props(TimeWorker worker, int index, int incarnation, LiveSection live, ActorSelection server, string runId, string host) =>
        Akka.Actor.Props.Create(() => new LiveWorkerActor(worker, index, incarnation, live, server, runId, host)).WithDispatcher("delaysim.live-worker");
}

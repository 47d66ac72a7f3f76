using Akka.Actor;
using DelaySim.Actors.Clock;
using DelaySim.Actors.Monitor;
using DelaySim.Actors.StalenessDomain;
using DelaySim.Actors.TimeDomain;
using DelaySim.Model.TimeDomain;
using DelaySim.Model.Engine;

namespace DelaySim.Actors.Run;

/// <summary>
/// Runs one replicate with actors: creates the clock, the monitor, the workers and the parameter server (of the
/// staleness or the time domain) as children, seeds the clock with the first event at virtual time 0, and answers the
/// requester with the monitor's result.
/// States: Idle → Running → (stopped). An <see cref="UntypedActor"/> (see <see cref="MonitorActor"/>).
/// </summary>
internal sealed class RunActor : UntypedActor
{
    readonly Replicate _replicate;
    readonly int _index;
    IActorRef? _requester;
    ReplicateResult? _result;
    bool _drained;
    bool _failed;

    public RunActor(Replicate replicate, int index)
    {
        _replicate = replicate;
        _index = index;
    }

    public static Props Props(Replicate replicate, int index) => Produce.Props(() => new RunActor(replicate, index));

    /// <summary>
    /// Any exception in a child (a trace that runs out, bad data met at run time) fails the run at once: the requester
    /// gets it as a <see cref="Status.Failure"/> and the run stops, instead of the clock waiting forever for an answer
    /// that a restarted actor would never send.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        Fail(e);
        return Directive.Stop;
    }, loggingEnabled: false); // the failure reaches the user through the requester, once

    void Fail(Exception e)
    {
        if (_requester is null || _failed) return;
        _failed = true;
        _requester.Tell(new Status.Failure(e));
        Self.Tell(PoisonPill.Instance);
    }

    /// <summary>Idle: waits for <see cref="StartRun"/>.</summary>
    protected override void OnReceive(object message)
    {
        if (message is not StartRun)
        {
            Unhandled(message);
            return;
        }
        _requester = Sender;
        try
        {
            Start();
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    void Start()
    {
        var monitor = Spawn(MonitorActor.Props(_replicate, _index, Self), "monitor");
        var clock = Spawn(ClockActor.Props(Self), "clock");
        Become(Running);
        if (_replicate.Spec.Time is not null)
        {
            var timeServer = Spawn(TimeServerActor.Props(_replicate, monitor), "server");
            var timeWorkers = TimeWorker.CreateAll(_replicate, recycle: true)
                .Select((w, m) => Spawn(TimeWorkerActor.Props(w, timeServer), $"worker-{m}"))
                .ToArray();
            clock.Tell(new Schedule([new ScheduledEvent(0, timeServer, new StartTimeDomain(timeWorkers))]));
            return;
        }
        var workers = Enumerable.Range(0, Math.Max(1, _replicate.Spec.Workers))
            .Select(m => Spawn(StalenessWorkerActor.Props(_replicate), $"worker-{m}"))
            .ToArray();
        var server = Spawn(StalenessServerActor.Props(_replicate, workers, monitor), "server");
        clock.Tell(new Schedule([new ScheduledEvent(0, server, BeginTraining.Instance)]));
    }

    /// <summary>Children run on the run's own dispatcher: a run's messages then stay on one thread (no wake-ups between hops).</summary>
    IActorRef Spawn(Props props, string name) => Context.ActorOf(props.WithDispatcher(Context.Props.Dispatcher), name);

    void Running(object message)
    {
        switch (message)
        {
            case ReplicateMeasured m:
                _result = m.Result;
                break;
            case Drained:
                _drained = true;
                break;
            default:
                Unhandled(message);
                return;
        }
        CompleteIfDone();
    }

    void CompleteIfDone()
    {
        if (_result is null || !_drained || _failed) return;
        _requester!.Tell(_result);
        Context.Stop(Self);
    }
}

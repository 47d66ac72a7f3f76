using Akka.Actor;
using DelaySim.Actors.Clock;
using DelaySim.Actors.Monitor;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;

namespace DelaySim.Actors.StalenessDomain;

/// <summary>
/// The staleness domain's server: a thin shell around the pure <see cref="StalenessServer"/>. When a version is born
/// (at virtual time s for version s) it hands every step due on it to a worker; the gradient of step t arrives at time
/// t + 1. It forwards checkpoints to the monitor and reports when the run is over.
/// </summary>
internal sealed class StalenessServerActor : UntypedActor
{
    readonly Replicate _replicate;
    readonly StalenessServer _server;
    readonly IReadOnlyList<IActorRef> _workers;
    readonly IActorRef _monitor;
    // Gradient buffers cycle between the server and the workers: at most τ̂ + 1 sets are ever in flight.
    readonly Stack<double[][]> _freeGradients = new();

    public StalenessServerActor(Replicate replicate, IReadOnlyList<IActorRef> workers, IActorRef monitor)
    {
        _replicate = replicate;
        _server = new StalenessServer(replicate);
        _workers = workers;
        _monitor = monitor;
    }

    // A switch, not ReceiveActor's matchers: those are expression trees compiled at start, which the native build can only
    // interpret, on every message (docs/PERFORMANCE.md, fifteenth session).
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Deliver { Payload: GradientReady } d: HandleGradient(d); break;
            case Deliver { Payload: BeginTraining } d: HandleBegin(d); break;
            default: Unhandled(message); break;
        }
    }

    public static Props Props(Replicate replicate, IReadOnlyList<IActorRef> workers, IActorRef monitor) =>
        Produce.Props(() => new StalenessServerActor(replicate, workers, monitor));

    void HandleBegin(Deliver deliver)
    {
        Answer(deliver, _server.Begin());
    }

    void HandleGradient(Deliver deliver)
    {
        var ready = (GradientReady)deliver.Payload;
        if (_server.Finished)
        {
            // Stopped early (diverged): gradients still in flight are dropped.
            Sender.Tell(Handled.Nothing(deliver.EventId));
            return;
        }
        var due = _server.Apply(ready.Work, ready.Gradients);
        _freeGradients.Push(ready.Gradients);
        Answer(deliver, due);
    }

    /// <summary>
    /// Hands the due steps to the workers, who answer the clock's event for the server, one part each; with nothing to
    /// compute the server answers itself. This saves a message per update.
    /// </summary>
    void Answer(Deliver deliver, ReadOnlySpan<StepWork> due)
    {
        foreach (var (iteration, parameters) in _server.TakeCheckpoints())
            _monitor.Tell(new CheckpointReached(iteration, parameters));
        if (_server.Finished) _monitor.Tell(new RunFinished(_server.Parameters, _server.StalenessCounts));
        if (due.Length == 0)
        {
            Sender.Tell(Handled.Nothing(deliver.EventId));
            return;
        }
        for (var i = 0; i < due.Length; i++)
        {
            var work = due[i];
            _workers[(int)(work.Step % _workers.Count)].Tell(new ComputeGradient(work, RentGradients(), Self, Sender, deliver.EventId, i, due.Length));
        }
    }

    double[][] RentGradients() => _freeGradients.TryPop(out var buffers)
        ? buffers
        : _replicate.TrainSets.Select(_ => new double[_replicate.Problem.ParameterCount]).ToArray();
}

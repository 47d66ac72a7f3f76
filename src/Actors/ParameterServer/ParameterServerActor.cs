using Akka.Actor;
using DelaySim.Actors.Clock;
using DelaySim.Actors.Monitor;
using DelaySim.Actors.Worker;
using DelaySim.Model.Engine;

namespace DelaySim.Actors.ParameterServer;

/// <summary>
/// The parameter server of the staleness domain. It owns w (one history ring per trajectory), the version counter and
/// the step plan. When version s is born (at virtual time s) it sends every step t with v_t = s to a worker, with a
/// snapshot of w_s; the gradient of step t arrives at time t + 1 and is applied in step order, producing version t + 1.
/// Steps are planned in order t = 0, 1, …, τ̂ ahead of the newest version, so each step's τ_t and batch are known before
/// its version is born and the random streams are consumed exactly as in the direct engine.
/// </summary>
public sealed class ParameterServerActor : ReceiveActor
{
    readonly Replicate _replicate;
    readonly IReadOnlyList<IActorRef> _workers;
    readonly IActorRef _monitor;
    readonly ParameterHistory[] _histories;
    readonly StepPlanner _planner;
    readonly Dictionary<long, List<(long Step, int[] Batch)>> _waiting = [];
    readonly long[] _staleness;
    readonly Stack<double[][]> _freeGradients = new();

    public ParameterServerActor(Replicate replicate, IReadOnlyList<IActorRef> workers, IActorRef monitor)
    {
        _replicate = replicate;
        _workers = workers;
        _monitor = monitor;
        var spec = replicate.Spec;
        _histories = replicate.TrainSets.Select(_ => new ParameterHistory(replicate.InitialParameters, spec.Staleness.Max)).ToArray();
        _planner = new StepPlanner(spec.Staleness, replicate.Data.Train.Count, spec.Batch, spec.Sampling, replicate.Seed);
        _staleness = new long[spec.Staleness.Max + 1];
        Receive<Deliver>(d => d.Payload is BeginTraining, HandleBegin);
        Receive<Deliver>(d => d.Payload is GradientReady, HandleGradient);
    }

    public static Props Props(Replicate replicate, IReadOnlyList<IActorRef> workers, IActorRef monitor) =>
        Akka.Actor.Props.Create(() => new ParameterServerActor(replicate, workers, monitor));

    CellSpec Spec => _replicate.Spec;
    long Version => _histories[0].Version;

    void HandleBegin(Deliver deliver)
    {
        _monitor.Tell(new CheckpointReached(0, Snapshot()));
        Sender.Tell(new Handled(deliver.EventId, DispatchVersion(deliver.Time)));
    }

    void HandleGradient(Deliver deliver)
    {
        var ready = (GradientReady)deliver.Payload;
        if (ready.Step != Version)
            throw new InvalidOperationException($"parameter server: gradient of step [{ready.Step}] arrived while step [{Version}] is due");
        for (var k = 0; k < _histories.Length; k++) _histories[k].Step(ready.Gradients[k], Spec.Eta);
        _staleness[ready.Step - ready.Version]++;
        _freeGradients.Push(ready.Gradients);

        if (Evaluator.IsCheckpoint(Version, Spec.CheckpointEvery, Spec.Iterations))
            _monitor.Tell(new CheckpointReached(Version, Snapshot()));
        if (Version == Spec.Iterations)
        {
            _monitor.Tell(new RunFinished(Snapshot(), _staleness));
            Sender.Tell(Handled.Nothing(deliver.EventId));
            return;
        }
        Sender.Tell(new Handled(deliver.EventId, DispatchVersion(deliver.Time)));
    }

    /// <summary>Plans steps up to Version + τ̂, then hands every step whose stale version is the newest one to a worker.</summary>
    List<ScheduledEvent> DispatchVersion(double now)
    {
        var horizon = Math.Min(Version + Spec.Staleness.Max, Spec.Iterations - 1);
        while (_planner.NextStep <= horizon)
        {
            var step = _planner.NextStep;
            var batch = new int[Spec.Batch];
            var version = _planner.Next(batch);
            if (!_waiting.TryGetValue(version, out var list)) _waiting[version] = list = [];
            list.Add((step, batch));
        }
        var events = new List<ScheduledEvent>();
        if (!_waiting.Remove(Version, out var due)) return events;
        foreach (var (step, batch) in due)
        {
            var worker = _workers[(int)(step % _workers.Count)];
            var views = _histories.Select(h => h.View(Version)).ToArray();
            events.Add(new ScheduledEvent(now, worker, new ComputeGradient(step, Version, batch, views, RentGradients(), Self)));
        }
        return events;
    }

    /// <summary>Gradient buffers cycle between the server and the workers: at most τ̂ + 1 sets are ever in flight.</summary>
    double[][] RentGradients() => _freeGradients.TryPop(out var buffers)
        ? buffers
        : _histories.Select(_ => new double[_replicate.Problem.ParameterCount]).ToArray();

    double[][] Snapshot() => _histories.Select(h => h.Current.ToArray()).ToArray();
}

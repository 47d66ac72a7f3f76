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
    readonly StepPlanner[] _planners;
    readonly long[] _staleness;
    readonly Stack<double[][]> _freeGradients = new();
    // Versions Version..Version+τ̂ and steps Version..Version+τ̂ are the only ones in flight, so rings of τ̂ + 1 slots
    // keyed by version (steps waiting for it), by step (batch buffers) and by history slot (views) never collide and
    // the hot path allocates nothing but its messages.
    readonly List<long>[] _waiting;
    readonly int[][] _batches;
    readonly long[][] _stepVersions;
    readonly ReadOnlyMemory<double>[][] _views;
    readonly double _initialNorm;
    bool _finished;

    public ParameterServerActor(Replicate replicate, IReadOnlyList<IActorRef> workers, IActorRef monitor)
    {
        _replicate = replicate;
        _workers = workers;
        _monitor = monitor;
        var spec = replicate.Spec;
        _histories = replicate.TrainSets.Select(_ => new ParameterHistory(replicate.InitialParameters, spec.MaxStaleness)).ToArray();
        _planners = spec.Planners(replicate);
        _initialNorm = DelaySim.Model.Problems.Kernels.Norm(replicate.InitialParameters);
        var slots = spec.MaxStaleness + 1;
        _staleness = new long[slots];
        _waiting = Enumerable.Range(0, slots).Select(_ => new List<long>()).ToArray();
        _batches = Enumerable.Range(0, slots).Select(_ => new int[spec.Batch]).ToArray();
        _stepVersions = Enumerable.Range(0, slots).Select(_ => new long[_planners.Length]).ToArray();
        _views = Enumerable.Range(0, slots).Select(slot => _histories.Select(h => h.Slot(slot)).ToArray()).ToArray();
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
        DispatchVersion(deliver.EventId, Sender);
    }

    void HandleGradient(Deliver deliver)
    {
        var ready = (GradientReady)deliver.Payload;
        if (_finished)
        {
            // Stopped early (diverged): gradients still in flight are dropped.
            Sender.Tell(Handled.Nothing(deliver.EventId));
            return;
        }
        if (ready.Step != Version)
            throw new InvalidOperationException($"parameter server: gradient of step [{ready.Step}] arrived while step [{Version}] is due");
        var eta = Spec.EtaAt(ready.Step);
        for (var k = 0; k < _histories.Length; k++) _histories[k].Step(ready.Gradients[k], eta);
        _staleness[ready.Step - ready.Version]++;
        _freeGradients.Push(ready.Gradients);

        var exploded = false;
        if (Evaluator.IsCheckpoint(Version, Spec.CheckpointEvery, Spec.Iterations))
        {
            _monitor.Tell(new CheckpointReached(Version, Snapshot()));
            exploded = Divergence.Exploded(_histories[0].Current, _initialNorm);
        }
        if (Version == Spec.Iterations || exploded)
        {
            _finished = true;
            _monitor.Tell(new RunFinished(Snapshot(), _staleness));
            Sender.Tell(Handled.Nothing(deliver.EventId));
            return;
        }
        DispatchVersion(deliver.EventId, Sender);
    }

    /// <summary>
    /// Plans steps up to Version + τ̂, then hands every step whose stale version is the newest one to a worker. The
    /// workers answer the clock's event for the server, one part each (computing takes no virtual time), which saves a
    /// message per update; with nothing to compute the server answers itself.
    /// </summary>
    void DispatchVersion(long eventId, IActorRef clock)
    {
        var slots = _waiting.Length;
        var horizon = Math.Min(Version + slots - 1, Spec.Iterations - 1); // slots = τ̂ + 1
        while (_planners[0].NextStep <= horizon)
        {
            var step = _planners[0].NextStep;
            // Every planner draws the same batch (shared sample stream); a step can run once all its versions exist.
            var versions = _stepVersions[step % slots];
            var latest = 0L;
            for (var p = 0; p < _planners.Length; p++) latest = Math.Max(latest, versions[p] = _planners[p].Next(_batches[step % slots]));
            _waiting[latest % slots].Add(step);
        }
        var due = _waiting[Version % slots];
        if (due.Count == 0)
        {
            clock.Tell(Handled.Nothing(eventId));
            return;
        }
        for (var i = 0; i < due.Count; i++)
        {
            var step = due[i];
            var versions = _stepVersions[step % slots];
            var views = _planners.Length == 1 ? _views[Version % slots] : _histories.Select((h, k) => h.View(versions[k])).ToArray();
            _workers[(int)(step % _workers.Count)].Tell(
                new ComputeGradient(step, versions[0], _batches[step % slots], views, RentGradients(), Self, clock, eventId, i, due.Count));
        }
        due.Clear();
    }

    /// <summary>Gradient buffers cycle between the server and the workers: at most τ̂ + 1 sets are ever in flight.</summary>
    double[][] RentGradients() => _freeGradients.TryPop(out var buffers)
        ? buffers
        : _histories.Select(_ => new double[_replicate.Problem.ParameterCount]).ToArray();

    double[][] Snapshot() => _histories.Select(h => h.Current.ToArray()).ToArray();
}

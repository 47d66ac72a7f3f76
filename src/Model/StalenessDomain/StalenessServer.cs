using DelaySim.Model.Engine;
using DelaySim.Model.Problems;
using DelaySim.Model.Updates;

namespace DelaySim.Model.StalenessDomain;

/// <summary>
/// The staleness domain's server as a pure state machine, driven by both engines: the actor engine hands each
/// <see cref="StepWork"/> to a worker actor, the direct engine (<see cref="StalenessLoop"/>) computes it in place. It owns
/// w (one history ring per trajectory), the version counter and the step plan.
///
/// Steps are planned in order t = 0, 1, …, up to τ̂ ahead of the newest version, so each step's τ_t and batch are known
/// before its version is born and the random streams are consumed in one order whoever drives the server. When version
/// s is born, every step t with v_t = s becomes due (<see cref="Begin"/>, <see cref="Apply"/> return them); step t's
/// gradient is applied when it is the next step, producing version t + 1.
/// </summary>
public sealed class StalenessServer
{
    readonly Replicate _replicate;
    readonly ParameterHistory[] _histories;
    readonly IUpdater[] _updaters;
    readonly StepPlanner[] _planners;
    readonly Budget _budget;
    readonly long[] _staleness;
    readonly List<(long Iteration, double[][] Parameters)> _checkpoints = [];
    // Versions Version..Version+τ̂ and steps Version..Version+τ̂ are the only ones in flight, so rings of τ̂ + 1 slots
    // keyed by version (steps waiting for it), by step (batch buffers) and by history slot (views) never collide and
    // the hot path allocates nothing.
    readonly List<long>[] _waiting;
    readonly int[][] _batches;
    readonly long[][] _stepVersions;
    readonly ReadOnlyMemory<double>[][] _views;

    public StalenessServer(Replicate replicate)
    {
        _replicate = replicate;
        var spec = replicate.Spec;
        _histories = replicate.TrainSets.Select(_ => new ParameterHistory(replicate.InitialParameters, spec.MaxStaleness)).ToArray();
        _updaters = _histories.Select(_ => spec.Rule.Start(replicate.Problem.ParameterCount)).ToArray();
        _planners = Planners(replicate);
        _budget = new Budget(spec, replicate.InitialParameters);
        var slots = spec.MaxStaleness + 1;
        _staleness = new long[slots];
        _waiting = Enumerable.Range(0, slots).Select(_ => new List<long>()).ToArray();
        _batches = Enumerable.Range(0, slots).Select(_ => new int[spec.Batch]).ToArray();
        _stepVersions = Enumerable.Range(0, slots).Select(_ => new long[_planners.Length]).ToArray();
        _views = Enumerable.Range(0, slots).Select(slot => _histories.Select(h => h.Slot(slot)).ToArray()).ToArray();
        _checkpoints.Add((0, Parameters));
    }

    /// <summary>The index of the newest version; the step whose gradient is applied next.</summary>
    public long Version => _histories[0].Version;

    public bool Finished => _budget.Finished;

    /// <summary>StalenessCounts[s] = updates applied with staleness s.</summary>
    public long[] StalenessCounts => _staleness;

    /// <summary>Copies of every trajectory's current parameters.</summary>
    public double[][] Parameters => _histories.Select(h => h.Current.ToArray()).ToArray();

    /// <summary>Checkpoints reached since the last call (iteration 0 first), each with copies of the parameters.</summary>
    public IReadOnlyList<(long Iteration, double[][] Parameters)> TakeCheckpoints()
    {
        if (_checkpoints.Count == 0) return [];
        var taken = _checkpoints.ToArray();
        _checkpoints.Clear();
        return taken;
    }

    /// <summary>Version 0 exists: the steps due on it, into <paramref name="due"/>.</summary>
    public void Begin(List<StepWork> due) => Dispatch(due);

    /// <summary>
    /// Applies the gradients of step <paramref name="work"/> (which must be the next step) to every trajectory and,
    /// unless the run is over, puts the steps due on the new version into <paramref name="due"/>.
    /// </summary>
    public void Apply(in StepWork work, double[][] gradients, List<StepWork> due)
    {
        if (Finished) throw new InvalidOperationException("staleness server: the run is over");
        if (work.Step != Version)
            throw new InvalidOperationException($"staleness server: gradient of step [{work.Step}] arrived while step [{Version}] is due");
        var staleness = work.Step - work.Version;
        var context = new UpdateContext(work.Step, _replicate.Spec.EtaAt(work.Step), staleness);
        for (var k = 0; k < _histories.Length; k++) _histories[k].Step(gradients[k], _updaters[k], context);
        _staleness[staleness]++;
        if (_budget.AfterUpdate(1, _histories[0].Current)) _checkpoints.Add((Version, Parameters));
        if (!Finished) Dispatch(due);
    }

    /// <summary>Plans steps up to Version + τ̂, then lists every step whose stale version is the newest one.</summary>
    void Dispatch(List<StepWork> due)
    {
        var slots = _waiting.Length;
        var horizon = Math.Min(Version + slots - 1, _replicate.Spec.Iterations - 1); // slots = τ̂ + 1
        while (_planners[0].NextStep <= horizon)
        {
            var step = _planners[0].NextStep;
            // Every planner draws the same batch (shared sample stream); a step can run once all its versions exist.
            var versions = _stepVersions[step % slots];
            var latest = 0L;
            for (var p = 0; p < _planners.Length; p++) latest = Math.Max(latest, versions[p] = _planners[p].Next(_batches[step % slots]));
            _waiting[latest % slots].Add(step);
        }
        var waiting = _waiting[Version % slots];
        foreach (var step in waiting)
        {
            var versions = _stepVersions[step % slots];
            var views = _planners.Length == 1 ? _views[Version % slots] : _histories.Select((h, k) => h.View(versions[k])).ToArray();
            due.Add(new StepWork(step, versions[0], _batches[step % slots], views));
        }
        waiting.Clear();
    }

    /// <summary>
    /// The planners of trajectories 0..K: one shared plan, or with independent twin delays one per trajectory, each with
    /// its own delay stream ("delay/twin/k") and the shared sample stream.
    /// </summary>
    static StepPlanner[] Planners(Replicate replicate)
    {
        var spec = replicate.Spec;
        return Enumerable.Range(0, spec.IndependentTwinDelays ? replicate.Trajectories : 1)
            .Select(k => new StepPlanner(spec.Staleness, replicate.Data.Train.Count, spec.Batch, spec.Sampling, replicate.Seed, spec.Timeline, k == 0 ? "delay" : $"delay/twin/{k}"))
            .ToArray();
    }
}

/// <summary>
/// Step <paramref name="Step"/>'s gradient, to be taken on <paramref name="Batch"/> at <paramref name="Snapshots"/> (one
/// per trajectory; trajectory 0's is version <paramref name="Version"/>). The batch and the snapshots are views into the
/// server's rings, unchanged until the step is applied.
/// </summary>
public readonly record struct StepWork(long Step, long Version, int[] Batch, ReadOnlyMemory<double>[] Snapshots)
{
    /// <summary>The mini-batch gradient of every trajectory k (trained on <see cref="Replicate.TrainSets"/>[k]) into <paramref name="gradients"/>[k].</summary>
    public void Compute(Replicate replicate, double[][] gradients)
    {
        for (var k = 0; k < gradients.Length; k++)
            replicate.Problem.BatchGradient(Snapshots[k].Span, replicate.TrainSets[k], Batch, gradients[k]);
    }
}

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
/// s is born, every step t with v_t = s becomes due (<see cref="Begin"/> and <see cref="Apply"/> return them); step t's
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
    readonly StepWork[] _due; // at most τ̂ + 1 steps wait on one version
    // Version mod slots and the next planned step mod slots, kept as counters (see ParameterHistory).
    int _versionSlot;
    int _planSlot;

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
        _due = new StepWork[slots];
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

    /// <summary>A checkpoint was reached since the last <see cref="TakeCheckpoints"/>.</summary>
    public bool AtCheckpoint => _checkpoints.Count > 0;

    /// <summary>Checkpoints reached since the last call (iteration 0 first), each with copies of the parameters.</summary>
    public IReadOnlyList<(long Iteration, double[][] Parameters)> TakeCheckpoints()
    {
        if (_checkpoints.Count == 0) return [];
        var taken = _checkpoints.ToArray();
        _checkpoints.Clear();
        return taken;
    }

    /// <summary>Version 0 exists: the steps due on it (valid until the next call).</summary>
    public ReadOnlySpan<StepWork> Begin() => Dispatch();

    /// <summary>
    /// Applies the gradients of step <paramref name="work"/> (which must be the next step) to every trajectory and,
    /// unless the run is over, returns the steps due on the new version (valid until the next call).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<StepWork> Apply(scoped in StepWork work, double[][] gradients)
    {
        if (Finished) throw new InvalidOperationException("staleness server: the run is over");
        if (work.Step != Version)
            throw new InvalidOperationException($"staleness server: gradient of step [{work.Step}] arrived while step [{Version}] is due");
        // Each trajectory is told its own staleness: with independent twin delays the twins' versions differ from trajectory 0's.
        var versions = _stepVersions[_versionSlot]; // the step being applied is Version, whose slot is the version's
        var eta = _replicate.Spec.EtaAt(work.Step);
        for (var k = 0; k < _histories.Length; k++)
        {
            _updaters[k].Adjust(gradients[k], _histories[k].Current, work.Snapshots[k].Span);
            _histories[k].Step(gradients[k], _updaters[k], new UpdateContext(work.Step, eta, work.Step - versions[_planners.Length == 1 ? 0 : k]));
        }
        _staleness[work.Step - work.Version]++;
        _versionSlot = _versionSlot + 1 == _waiting.Length ? 0 : _versionSlot + 1;
        if (_budget.AfterUpdate(1))
        {
            _checkpoints.Add((Version, Parameters));
            _budget.AtCheckpoint(_histories[0].Current);
        }
        return Finished ? [] : Dispatch();
    }

    /// <summary>Plans steps up to Version + τ̂, then lists every step whose stale version is the newest one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    ReadOnlySpan<StepWork> Dispatch()
    {
        var slots = _waiting.Length;
        var horizon = Math.Min(Version + slots - 1, _replicate.Spec.Iterations - 1); // slots = τ̂ + 1
        while (_planners[0].NextStep <= horizon)
        {
            var step = _planners[0].NextStep;
            // Every planner draws the same batch (shared sample stream); a step can run once all its versions exist.
            var versions = _stepVersions[_planSlot];
            var latest = 0L;
            for (var p = 0; p < _planners.Length; p++) latest = Math.Max(latest, versions[p] = _planners[p].Next(_batches[_planSlot]));
            _waiting[Wrap(_versionSlot + (int)(latest - Version))].Add(step);
            _planSlot = Wrap(_planSlot + 1);
        }
        var waiting = _waiting[_versionSlot];
        var count = 0;
        foreach (var step in waiting)
        {
            // Step ≥ Version, and the step ring's slots run in step with the version ring's.
            var slot = Wrap(_versionSlot + (int)(step - Version));
            var versions = _stepVersions[slot];
            var views = _planners.Length == 1 ? _views[_versionSlot] : ViewsOf(versions);
            _due[count++] = new StepWork(step, versions[0], _batches[slot], views);
        }
        waiting.Clear();
        return _due.AsSpan(0, count);
    }

    /// <summary>Each trajectory's own stale version (independent twin delays). Its own method: a lambda capturing the loop's locals would allocate on every step.</summary>
    ReadOnlyMemory<double>[] ViewsOf(long[] versions) => _histories.Select((h, k) => h.View(versions[k])).ToArray();

    int Wrap(int slot) => slot >= _waiting.Length ? slot - _waiting.Length : slot;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(Replicate replicate, double[][] gradients)
    {
        for (var k = 0; k < gradients.Length; k++)
            replicate.Problem.BatchGradient(Snapshots[k].Span, replicate.TrainSets[k], Batch, gradients[k]);
    }
}

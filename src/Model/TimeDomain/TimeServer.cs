using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.Problems;
using DelaySim.Model.Updates;

namespace DelaySim.Model.TimeDomain;

/// <summary>
/// The time-domain parameter server as a pure state machine: events in, events out, no clock and no actors. The actor
/// engine wraps it in an actor, the direct engine calls it in a loop; both therefore do the same arithmetic in the
/// same order. It owns w for every trajectory, the version counter, the downlink streams and the per-worker statistics.
/// </summary>
public sealed class TimeServer
{
    readonly Replicate _replicate;
    readonly TimeDomainSpec _time;
    readonly double[][] _w;
    readonly IReadOnlyList<IDelayStream> _downlink;
    readonly List<GradientArrival> _pending = [];
    readonly List<(long Iteration, double[][] Parameters)> _checkpoints = [];
    readonly Budget _budget;
    readonly IUpdater[] _updaters;

    /// <summary>Stale-synchronous wait: the largest lead in gradients a worker may have over the slowest, or null.</summary>
    readonly int? _clockBound;
    readonly long[] _clocks;
    readonly SortedSet<int> _blocked = [];

    public TimeServer(Replicate replicate)
    {
        _replicate = replicate;
        _time = replicate.Spec.Time ?? throw new ArgumentException("the replicate is not a time-domain one");
        _w = replicate.TrainSets.Select(_ => (double[])replicate.InitialParameters.Clone()).ToArray();
        // Trajectory 0 decides divergence; a twin run alone must reach trajectory 0's last step whatever its own parameters do.
        _budget = new Budget(replicate.Spec, replicate.InitialParameters, watchesDivergence: replicate.PartIndex is null or 0);
        _updaters = _w.Select(_ => replicate.Spec.Rule.Start(replicate.Problem.ParameterCount)).ToArray();
        _downlink = _time.Downlink.Open(replicate.Seed, "downlink" + replicate.DelaySuffix, _time.Workers);
        Workers = Enumerable.Range(0, _time.Workers).Select(_ => new WorkerStats()).ToArray();
        _clockBound = replicate.Spec.Rule is BoundedStalenessUpdate { Wait: true } ssp ? ssp.Max : null;
        _clocks = new long[_time.Workers];
        _checkpoints.Add((0, Copy()));
    }

    public long Version => _budget.Version;

    /// <summary>Worker gradients applied so far (several per update under sum-per-tick).</summary>
    public long GradientsApplied => _budget.GradientsApplied;

    /// <summary>Stopped at a checkpoint because trajectory 0 exploded (see <see cref="Divergence"/>).</summary>
    public bool Diverged => _budget.Diverged;

    public bool Finished => _budget.Finished;
    public IReadOnlyList<WorkerStats> Workers { get; }

    /// <summary>Every worker's staleness histogram, merged.</summary>
    public long[] StalenessCounts => Engine.StalenessCounts.Merge(Workers.Select(w => w.StalenessCounts));
    public double[][] Parameters => Copy();

    /// <summary>Checkpoints reached since the last call (iteration 0 first), each with copies of the parameters.</summary>
    public IReadOnlyList<(long Iteration, double[][] Parameters)> TakeCheckpoints()
    {
        if (_checkpoints.Count == 0) return [];
        var taken = _checkpoints.ToArray();
        _checkpoints.Clear();
        return taken;
    }

    /// <summary>At time 0 every worker is sent w_0 over its downlink.</summary>
    public List<Outgoing> Begin(double now)
    {
        var events = new List<Outgoing>();
        for (var m = 0; m < _time.Workers; m++) events.Add(SendSnapshot(now, m));
        return events;
    }

    public List<Outgoing> Handle(double now, object message) => message switch
    {
        GradientArrival g when Finished => [],
        // A gradient from a worker that is down is lost; the worker gets a fresh snapshot when it comes back.
        GradientArrival g when _replicate.Spec.Timeline.DownUntil(g.Worker, now) is { } back => [SendSnapshot(back, g.Worker)],
        GradientArrival g when _time.Policy == ApplyPolicy.Each => Apply(now, One(g)),
        GradientArrival g => Gather(now, g),
        ApplyTick => Finished ? [] : Apply(now, Drain()),
        _ => throw new ArgumentException($"time server: unexpected message {message.GetType().Name}"),
    };

    List<Outgoing> Gather(double now, GradientArrival g)
    {
        _pending.Add(g);
        // The first arrival of a tick schedules the apply at the same time: it runs after every arrival already queued.
        return _pending.Count == 1 ? [new Outgoing(now, Address.Server, ApplyTick.Instance)] : [];
    }

    GradientArrival[] Drain()
    {
        var all = _pending.ToArray();
        _pending.Clear();
        return all;
    }

    /// <summary>One update with the summed gradient Σ g of the given arrivals (in arrival order), then a snapshot to each sender.</summary>
    List<Outgoing> Apply(double now, GradientArrival[] arrivals)
    {
        if (_time.CountsServerSteps) SkipEmptySteps(now);
        if (Finished || arrivals.Length == 0) return [];
        var step = _budget.Steps;
        var eta = _replicate.Spec.EtaAt(step);
        // Every arrival is counted in the staleness histograms; the rule may drop some (then they change nothing).
        foreach (var g in arrivals) Workers[g.Worker].RecordApplied(Version - g.Version, g.ComputeTime, g.Uplink);
        var used = Accepted(arrivals, step, eta);
        if (used.Length > 0)
        {
            var staleness = 0L;
            foreach (var g in used) staleness = Math.Max(staleness, Version - g.Version);
            var context = new UpdateContext(step, eta, staleness);
            var changed = false;
            for (var k = 0; k < _w.Length; k++)
            {
                foreach (var g in used) _updaters[k].Adjust(g.Gradients[k], _w[k], g.At[k]);
                var gradient = used[0].Gradients[k];
                if (used.Length > 1)
                {
                    gradient = (double[])gradient.Clone();
                    for (var a = 1; a < used.Length; a++) Kernels.AddScaled(gradient, 1, used[a].Gradients[k]);
                }
                // Coupled trajectories see the same calls, so a rule that holds gradients holds them in all of them.
                changed = _updaters[k].Apply(_w[k], gradient, context);
            }
            if (changed ? _budget.AfterUpdate(used.Length) : _budget.AfterHeld(used.Length)) Checkpoint();
        }
        Reuse(arrivals);
        if (Finished) return [];
        var replies = new List<Outgoing>(arrivals.Length);
        if (_clockBound is not { } bound)
        {
            foreach (var g in arrivals) replies.Add(SendSnapshot(now, g.Worker));
            return replies;
        }
        // Stale-synchronous parallel: each gradient is a tick of its worker's clock; a worker more than `bound` ticks
        // ahead of the slowest waits for its snapshot, and waiting workers are released (by index) once they may go.
        foreach (var g in arrivals)
        {
            _clocks[g.Worker]++;
            _blocked.Add(g.Worker);
        }
        var slowest = _clocks.Min();
        foreach (var m in _blocked.Where(m => _clocks[m] - slowest <= bound).ToArray())
        {
            _blocked.Remove(m);
            replies.Add(SendSnapshot(now, m));
        }
        return replies;
    }

    readonly GradientArrival[] _one = new GradientArrival[1];

    /// <summary>A single arrival as the array <see cref="Apply"/> takes, without a new array per gradient (Apply keeps none).</summary>
    GradientArrival[] One(GradientArrival g)
    {
        _one[0] = g;
        return _one;
    }

    /// <summary>The arrivals the rule accepts, in arrival order: the array itself when it accepts them all (the usual case).</summary>
    GradientArrival[] Accepted(GradientArrival[] arrivals, long step, double eta)
    {
        var ok = arrivals.Length <= 256 ? stackalloc bool[arrivals.Length] : new bool[arrivals.Length];
        var accepted = 0;
        for (var a = 0; a < arrivals.Length; a++)
            if (ok[a] = _updaters[0].Accepts(new UpdateContext(step, eta, Version - arrivals[a].Version))) accepted++;
        if (accepted == arrivals.Length) return arrivals;
        var used = new GradientArrival[accepted];
        for (int a = 0, i = 0; a < arrivals.Length; a++) if (ok[a]) used[i++] = arrivals[a];
        return used;
    }

    /// <summary>Workers waiting for the slowest under stale-synchronous wait (none without it).</summary>
    public int Blocked => _blocked.Count;

    void Checkpoint()
    {
        _checkpoints.Add((_budget.Steps, Copy()));
        _budget.AtCheckpoint(_w[0]);
    }

    /// <summary>
    /// Counting server steps, virtual time is the step index: the steps before <paramref name="now"/> that have not been
    /// counted had no gradient (empty steps; w unchanged). They count towards the budget and the checkpoints.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void SkipEmptySteps(double now)
    {
        if (now != Math.Floor(now)) throw new InvalidOperationException($"time server: counting server steps needs whole-step times, got {now}");
        while (!Finished && _budget.Steps < (long)now)
            if (_budget.AfterEmptyStep()) Checkpoint();
    }

    /// <summary>A fresh snapshot for <paramref name="worker"/> outside the event flow: a replacement for a lost live worker.</summary>
    public Outgoing Resend(double now, int worker) => SendSnapshot(now, worker);

    /// <summary>A snapshot for <paramref name="worker"/>; a worker that is down gets it when it comes back.</summary>
    Outgoing SendSnapshot(double now, int worker)
    {
        if (_replicate.Spec.Timeline.DownUntil(worker, now) is { } back) now = back;
        var latency = _downlink[worker].Next(now);
        Workers[worker].RecordDownlink(latency);
        return new Outgoing(now + latency, new Address(worker), new Snapshot(worker, Version, SnapshotOfW()));
    }

    /// <summary>
    /// Whether snapshots are written into the arrays of snapshots whose gradients have been applied. In a simulation
    /// a snapshot is referenced only by its worker's gradient (as <see cref="GradientArrival.At"/>), and nothing holds
    /// that after <see cref="Apply"/>; a live server keeps what it sent and takes fresh arrays.
    /// </summary>
    public bool Recycle { get; init; }

    readonly Stack<double[][]> _spare = new();

    double[][] SnapshotOfW()
    {
        if (!Recycle || !_spare.TryPop(out var copy)) return Copy();
        for (var k = 0; k < copy.Length; k++) _w[k].CopyTo(copy[k], 0);
        return copy;
    }

    /// <summary>The applied (or dropped) arrivals' snapshots go back to the spares: in a simulation each is one this server sent.</summary>
    void Reuse(GradientArrival[] arrivals)
    {
        if (!Recycle) return;
        foreach (var g in arrivals) _spare.Push(g.At);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    double[][] Copy()
    {
        var copy = new double[_w.Length][];
        for (var k = 0; k < copy.Length; k++) copy[k] = (double[])_w[k].Clone();
        return copy;
    }
}

using System.Security.Cryptography;
using Akka.Actor;
using Akka.Cluster;
using DelaySim.Actors;
using DelaySim.Host.Cluster;
using DelaySim.Model;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;
using DelaySim.Host.Scenarios;
using Address = Akka.Actor.Address;

namespace DelaySim.Host.Live;

/// <summary>What a live run needs: the scenario as text (for the runners), its replicate, the live block and the trace.</summary>
internal sealed record LivePlan(string RunId, Scenario Scenario, Replicate Replicate, LiveSection Live, int Nodes, TraceWriter Trace, TimeSpan JoinTimeout, string Folder);

/// <summary>How a live run ended, with everything the run folder needs.</summary>
internal sealed record LiveOutcome(
    string Stopped, ReplicateResult Result, IReadOnlyList<(long Iteration, string Sha256)> CheckpointHashes,
    IReadOnlyDictionary<string, (double Offset, double RoundTrip)> Clocks, IReadOnlyList<(int Worker, int Incarnation, string Host)> Placement,
    double WallSeconds);

/// <summary>
/// The live run's server, on the coordinator: places the workers on the runner nodes, estimates each node's clock
/// offset, then drives the time domain's <see cref="TimeServer"/> with real arrivals (applied in arrival order, the
/// scenario's rule), records every applied gradient in the trace, and re-creates the workers of a lost node elsewhere.
/// An <see cref="UntypedActor"/>, as <see cref="LiveWorkerActor"/>: it handles a message per update.
/// </summary>
internal sealed class LiveServerActor : UntypedActor, IWithTimers
{
    public ITimerScheduler Timers { get; set; } = null!;

    const int ClockProbes = 5;

    sealed record JoinTimedOut;
    sealed record MaxWallReached;

    readonly LivePlan _plan;
    readonly TaskCompletionSource<LiveOutcome> _done;
    readonly TimeServer _server;
    // Checkpoints are evaluated when the run is over: evaluating during it would stall the server, and the recording
    // would keep the stall as real delay.
    readonly List<(long Iteration, double[][] Parameters)> _checkpoints = [];
    readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    readonly SortedSet<Address> _runners = new(Comparer<Address>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())));

    // Per worker index: its actor, its node, the incarnation, the last snapshot sent (w_v, for rules that need it) and when.
    readonly Dictionary<int, IActorRef> _workers = [];
    readonly Dictionary<IActorRef, int> _indexOf = [];
    readonly Dictionary<int, string> _hostOf = [];
    readonly Dictionary<int, Address> _nodeOf = [];
    readonly int[] _incarnation;
    readonly Dictionary<int, (long Version, double[][] At, double Served)> _sent = [];
    readonly Dictionary<int, List<(double Offset, double RoundTrip)>> _probes = [];
    readonly Dictionary<string, (double Offset, double RoundTrip)> _clocks = [];
    readonly List<(int, int, string)> _placement = [];
    readonly string _fingerprint;
    double _t0 = double.NaN;
    bool _placed;
    bool _over;

    public LiveServerActor(LivePlan plan, TaskCompletionSource<LiveOutcome> done)
    {
        (_plan, _done) = (plan, done);
        _server = new TimeServer(plan.Replicate);
        _incarnation = new int[plan.Replicate.Spec.Time!.Workers];
        _fingerprint = LiveRun.Fingerprint(plan.Replicate);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ClusterEvent.CurrentClusterState state:
                foreach (var m in state.Members.Where(m => m.Status == MemberStatus.Up)) RunnerUp(m);
                break;
            case ClusterEvent.MemberUp up:
                RunnerUp(up.Member);
                break;
            case ClusterEvent.UnreachableMember u:
                NodeLost(u.Member.Address, "unreachable");
                break;
            case ClusterEvent.MemberRemoved r:
                NodeLost(r.Member.Address, "removed");
                break;
            // A handler that throws ends the run with its error (a restarted server would start over with a half-written trace).
            case LiveGradient g:
                Guard(() => Gradient(g));
                break;
            case LiveReady r:
                Guard(() => Ready(r));
                break;
            case LiveClockPong p:
                Guard(() => Pong(p));
                break;
            case LiveWorkersFailed failed:
                WorkersFailed(failed);
                break;
            case Terminated t:
                if (_indexOf.TryGetValue(t.ActorRef, out var worker)) Lost(worker, "stopped");
                break;
            case MaxWallReached:
                Finish("max-wall");
                break;
            case JoinTimedOut:
                Fail(new BadInputException(_placed
                    ? $"live: {Workers - _workers.Count} of {Workers} workers did not report ready within {_plan.JoinTimeout.TotalSeconds:0} s (see the nodes' logs)"
                    : $"live: {_plan.Nodes} runner node(s) expected, {_runners.Count} joined within {_plan.JoinTimeout.TotalSeconds:0} s (start them with `delaysim node --seed-nodes …`, or lower --nodes)"));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    public static Props Props(LivePlan plan, TaskCompletionSource<LiveOutcome> done) => Produce.Props(() => new LiveServerActor(plan, done));

    int Workers => _incarnation.Length;

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.InitialStateAsSnapshot, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
        Timers.StartSingleTimer("join", new JoinTimedOut(), _plan.JoinTimeout);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _done.TrySetException(new InvalidOperationException("live: the server actor stopped before the run ended (the coordinator was shut down or downed)"));
    }

    void Guard(Action handle)
    {
        try
        {
            handle();
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    /// <summary>Workers that could not be created: before the run that ends it; a replacement's failure only loses that worker.</summary>
    void WorkersFailed(LiveWorkersFailed failed)
    {
        if (double.IsNaN(_t0)) Fail(failed.BadInput ? new BadInputException(failed.Error) : new InvalidOperationException(failed.Error));
        else Serilog.Log.Warning("A replacement live worker could not be created: {Error}; the run goes on without it", failed.Error);
    }

    void RunnerUp(Member member)
    {
        if (!member.HasRole(ClusterSetup.RunnerRole) || !_runners.Add(member.Address) || _placed || _runners.Count < _plan.Nodes) return;
        // Enough nodes: worker m goes to node m mod N (nodes in address order), so placement is the same on every run.
        _placed = true;
        var nodes = _runners.ToArray();
        for (var n = 0; n < nodes.Length; n++)
            StartWorkers(nodes[n], Enumerable.Range(0, Workers).Where(m => m % nodes.Length == n).ToArray(), 0);
    }

    void StartWorkers(Address node, int[] workers, int incarnation)
    {
        if (workers.Length == 0) return;
        var s = _plan.Scenario;
        var self = Self.Path.ToStringWithAddress(_cluster.SelfAddress);
        Context.ActorSelection(new RootActorPath(node) / "user" / ClusterSetup.RunnerName)
            .Tell(new StartLiveWorkers(_plan.RunId, s.Text, s.Origin, s.BaseDirectory, workers, incarnation, self, _fingerprint));
        foreach (var m in workers) _nodeOf[m] = node;
        Serilog.Log.Information("Live workers [{Workers}] go to {Node}", string.Join(", ", workers), node);
    }

    void Ready(LiveReady ready)
    {
        // A worker of an earlier incarnation (its node came back after its replacement was asked for) is not used.
        if (_over || ready.RunId != _plan.RunId || ready.Incarnation != _incarnation[ready.Worker] || _workers.ContainsKey(ready.Worker)) return;
        _workers[ready.Worker] = Sender;
        _indexOf[Sender] = ready.Worker;
        _hostOf[ready.Worker] = ready.Host;
        _placement.Add((ready.Worker, _incarnation[ready.Worker], ready.Host));
        Context.Watch(Sender);
        _probes[ready.Worker] = [];
        Sender.Tell(new LiveClockPing(LiveClock.Now));
    }

    /// <summary>
    /// Clock probes, one after another: offset = worker clock − midpoint of the probe's round trip, kept from the probe
    /// with the shortest round trip (its midpoint is the tightest). Probing done for every worker starts the run.
    /// </summary>
    void Pong(LiveClockPong pong)
    {
        var now = LiveClock.Now;
        if (_over || !_indexOf.TryGetValue(Sender, out var m) || m != pong.Worker || !_probes.TryGetValue(m, out var probes)) return;
        probes.Add((pong.WorkerClock - (pong.Sent + now) / 2, now - pong.Sent));
        if (probes.Count < ClockProbes)
        {
            Sender.Tell(new LiveClockPing(LiveClock.Now));
            return;
        }
        var best = probes.MinBy(p => p.RoundTrip);
        var host = _hostOf[pong.Worker];
        // A host's offset is fixed once its first workers are probed (a replacement's probe does not move it: rows
        // written before would otherwise be read with another offset), and written at once for a coordinator that dies.
        if (double.IsNaN(_t0) && (!_clocks.TryGetValue(host, out var known) || best.RoundTrip < known.RoundTrip)) _clocks[host] = best;
        else if (_clocks.TryAdd(host, best)) LiveFolder.WriteClocks(_plan.Folder, _clocks); // a replacement on a node new to the run
        _probes.Remove(pong.Worker);
        if (double.IsNaN(_t0))
        {
            if (_workers.Count < Workers || _probes.Count > 0) return;
            LiveFolder.WriteClocks(_plan.Folder, _clocks);
            _t0 = LiveClock.Now;
            Timers.Cancel("join");
            Timers.StartSingleTimer("max-wall", new MaxWallReached(), TimeSpan.FromSeconds(_plan.Live.MaxWallSeconds));
            Serilog.Log.Information("Live run started: {Workers} workers on {Nodes} node(s)", Workers, _runners.Count);
            Send(_server.Begin(0), 0);
        }
        else if (!_sent.ContainsKey(m))
        {
            var at = VirtualNow();
            Send([_server.Resend(at, pong.Worker)], at); // a replacement joins with the newest version
        }
    }

    double VirtualNow() => (LiveClock.Now - _t0) / _plan.Live.TimeScale;

    void Gradient(LiveGradient g)
    {
        var arrival = LiveClock.Now;
        if (_over || !_indexOf.TryGetValue(Sender, out var m) || m != g.Worker || !_sent.TryGetValue(m, out var sent) || sent.Version != g.Version) return;
        var step = _server.Version;
        var now = VirtualNow();
        var applied = _server.Handle(now, new GradientArrival(m, g.Version, [g.Gradient], g.ModelCompute, g.ModelUplink, sent.At));
        // The replay's step t is the t-th gradient: every live rule makes one version per gradient (LiveRun.Prepare).
        if (_server.Version != step + 1) throw new InvalidOperationException($"live: gradient {step} made version {_server.Version}; the rule must make one version per gradient");
        _plan.Trace.Write(new TraceRow("applied", step, m, g.Version, g.Samples, _hostOf[m], sent.Served, g.Pull, g.Computed, g.ComputeEnd, g.Send, arrival,
            g.InjectedDownlink, g.InjectedCompute, g.InjectedUplink));
        _checkpoints.AddRange(_server.TakeCheckpoints());
        if (_server.Finished) Finish(_server.Diverged ? "diverged" : "budget");
        else Send(applied, now);
    }

    /// <param name="now">The virtual time the server stamped the snapshots with: their downlink delay is Time − now.</param>
    void Send(IEnumerable<Outgoing> outgoing, double now)
    {
        foreach (var o in outgoing)
        {
            var snapshot = (Snapshot)o.Payload;
            // A snapshot for a worker that is gone is dropped: its replacement gets the newest version once probed.
            if (!_workers.TryGetValue(snapshot.Worker, out var worker)) continue;
            var delay = _plan.Live.Inject.Contains("downlink") ? (o.Time - now) * _plan.Live.TimeScale : 0;
            _sent[snapshot.Worker] = (snapshot.Version, snapshot.Parameters, LiveClock.Now);
            worker.Tell(new LiveSnapshot(snapshot.Version, snapshot.Parameters[0], delay));
        }
    }

    void NodeLost(Address node, string how)
    {
        if (!_runners.Remove(node) || _over) return;
        foreach (var m in _nodeOf.Where(p => p.Value == node).Select(p => p.Key).ToArray()) Lost(m, $"node {node} {how}");
    }

    /// <summary>Worker m is gone with the gradient it was computing: a "lost" row, and a replacement on the node with the fewest workers.</summary>
    void Lost(int m, string why)
    {
        if (_over) return;
        _nodeOf.Remove(m);
        if (_workers.Remove(m, out var worker))
        {
            _indexOf.Remove(worker);
            Context.Unwatch(worker);
        }
        _probes.Remove(m);
        Serilog.Log.Warning("Live worker {Worker} lost ({Why})", m, why);
        if (_sent.Remove(m, out var sent))
            _plan.Trace.Write(new TraceRow("lost", null, m, sent.Version, [], _hostOf.GetValueOrDefault(m, ""), sent.Served,
                double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
        if (_runners.Count == 0)
        {
            if (_workers.Count == 0) Finish("no-workers");
            return; // no node to re-create it on: the run goes on with the workers it has
        }
        var node = _runners.MinBy(n => _nodeOf.Values.Count(v => v == n))!;
        StartWorkers(node, [m], ++_incarnation[m]);
    }

    void Finish(string stopped)
    {
        if (_over) return;
        if (_server.Version == 0)
        {
            Fail(new BadInputException($"live: no gradient was applied ({stopped}; live.max-wall = {_plan.Live.MaxWallSeconds} s)"));
            return;
        }
        _over = true;
        Stop();
        _checkpoints.AddRange(_server.TakeCheckpoints());
        // A run stopped between checkpoints (max-wall, no workers) ends with one at its last step, as its replay does.
        if (_checkpoints[^1].Iteration < _server.Version) _checkpoints.Add((_server.Version, _server.Parameters));
        var recorder = new ReplicateRecorder(_plan.Replicate, 0);
        foreach (var (iteration, parameters) in _checkpoints) recorder.Checkpoint(iteration, parameters);
        var result = recorder.Finish(_server.Parameters, _server.StalenessCounts, _server.Workers);
        var hashes = _checkpoints.Select(c => (c.Iteration, Hash(c.Parameters[0]))).ToArray();
        _done.TrySetResult(new LiveOutcome(stopped, result, hashes, _clocks, _placement, LiveClock.Now - _t0));
        Serilog.Log.Information("Live run over ({Stopped}) after {Steps} steps", stopped, _server.Version);
    }

    void Stop()
    {
        foreach (var worker in _workers.Values) worker.Tell(new LiveStop(_plan.RunId));
    }

    void Fail(Exception e)
    {
        if (_over) return;
        _over = true;
        Stop();
        _done.TrySetException(e);
    }

    /// <summary>SHA-256 of the parameters' IEEE-754 bytes: two runs agree on it only if every bit agrees.</summary>
    public static string Hash(double[] parameters) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(parameters.AsSpan())));
}

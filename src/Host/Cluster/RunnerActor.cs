using Akka.Actor;
using Akka.Cluster;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;

namespace DelaySim.Host.Cluster;

/// <summary>
/// A runner: pulls a cell whenever it has a free slot, runs it with the local engine and sends the result back to the
/// coordinator that gave it. Work pulling keeps fast and slow machines busy alike. A node outlives runs and serves every
/// coordinator that is up, oldest first (first come, first served): when one has nothing left, it asks the next.
/// A coordinator's own in-process runner serves only that coordinator.
/// </summary>
internal sealed class RunnerActor : ReceiveActor, IWithTimers
{
    public ITimerScheduler Timers { get; set; } = null!;

    sealed record Finished(RunCell Work, IActorRef Coordinator, ServedRun? Run, IReadOnlyList<Model.Engine.ReplicateResult>? Replicates, string? Json, Exception? Error);
    sealed record AskAgain
    {
        public static readonly AskAgain Instance = new();
    }

    readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    // Tagged with its source, so a submitted run's log (SubmissionLog) leaves out what this node's runner does.
    readonly Serilog.ILogger _log = Serilog.Log.ForContext<RunnerActor>();
    readonly Address? _only;
    readonly List<Member> _coordinators = []; // up, oldest first

    /// <summary>The run last served: one at a time, with its data.</summary>
    ServedRun? _plan;
    readonly string _name;

    /// <summary>
    /// The memory of the last run's synthetic test sets, drawn into by the next run's (a fresh array costs a page fault
    /// per 4 KiB on first write: 18 ms of a node's ten seeds of the default test set). At most 512 MiB is kept.
    /// </summary>
    readonly Model.Data.SpareArrays _spares = new(512L << 20);

    /// <summary>One runner per engine for the node's lifetime: its lanes are shared by every cell the node runs.</summary>
    readonly Dictionary<EngineKind, SweepRunner> _runners = [];

    /// <summary>
    /// Cells held at once: enough for their replicates to fill the cores (cores/seeds, at least one) plus one, whose
    /// replicates wait for a free lane, so no lane idles while a cell ends and the next is fetched. Set from each cell's
    /// scenario. Replicates queue on the shared lanes rather than interleave on them.
    /// </summary>
    int _slots = Environment.ProcessorCount;
    int _running;
    int _turn;              // the coordinator asked next, as an index into _coordinators
    int _refusals;          // NoWork answers in a row: after one from each coordinator, pause
    bool _asking;           // one request out at a time, so a runner never holds more cells than slots
    bool _paused;           // every coordinator said no: the next ask is after a pause, or when one announces work

    /// <param name="only">Serve only the coordinator at this address (a coordinator's own runner); null: serve all.</param>
    public RunnerActor(Address? only)
    {
        _only = only;
        _name = Self.Path.ToStringWithAddress(_cluster.SelfAddress);
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up)) Found(member);
        });
        Receive<ClusterEvent.MemberUp>(up => Found(up.Member));
        Receive<ClusterEvent.MemberRemoved>(removed => Lost(removed.Member));
        Receive<RunCell>(Run);
        Receive<NoWork>(_ => Refused());
        Receive<AskAgain>(_ =>
        {
            (_asking, _paused) = (false, false); // the request was lost or answered with NoWork: ask again
            Ask();
        });
        Receive<WorkAvailable>(_ =>
        {
            var from = MemberAddress(Sender.Path.Address, _cluster.SelfAddress);
            var at = _coordinators.FindIndex(c => c.Address == from);
            if (!_paused || at < 0) return; // busy or asking already: it will come to this coordinator in turn
            Timers.Cancel("ask-again");
            (_asking, _paused, _turn, _refusals) = (false, false, at, 0);
            Ask();
        });
        Receive<Finished>(Report);
        Receive<FigureCell>(cell =>
        {
            var from = (MemberAddress(Sender.Path.Address, _cluster.SelfAddress), cell.RunId);
            if (!_figureCells.TryGetValue(from, out var cells))
            {
                ForgetFigureCells(from.Item1); // a coordinator's new run: the cells of its earlier ones (a run that failed) are never drawn now
                _figureCells[from] = cells = [];
            }
            cells[cell.CellIndex] = (cell.Json, cell.LambdaMax);
            // The first figures this process draws would pay Skia's, the font's and ScottPlot's first use at the end of
            // the run, likely past the coordinator's wait: paid now instead, beside the cells.
            if (!_plotsWarm)
            {
                _plotsWarm = true;
                _ = Task.Run(Plots.PlotWarmup.Draw);
            }
        });
        Receive<DrawFigures>(draw =>
        {
            // Drawn once: the cells' memory goes.
            _figureCells.Remove((MemberAddress(Sender.Path.Address, _cluster.SelfAddress), draw.RunId), out var cells);
            // Drawn beside the cells this node runs, not in the actor: a runner keeps asking for work meanwhile.
            var plan = _plan is { } p && p.RunId == draw.RunId && p.Scenario.Format == draw.Format ? p.Cells : null;
            var (where, log, asker) = (_cluster.SelfAddress, _log, Sender);
            Task.Run(() => RemoteFigures.Draw(draw, plan, cells ?? [])).PipeTo(asker, Self, success: drawn =>
            {
                log.Information("Drew figures {Figures} for {Asker}", string.Join(", ", drawn.Figures.Select(f => f.Name)), asker.Path.Address);
                return drawn;
            }, failure: e =>
            {
                log.Information("Could not draw figures for {Asker}: {Error}", asker.Path.Address, e.GetBaseException().Message);
                return new FiguresFailed(draw.RunId, $"node {where}: {e.GetBaseException().Message}");
            });
        });
        Receive<Live.StartLiveWorkers>(StartLive);
    }

    /// <summary>
    /// A sender's address as the cluster's members carry it: an actor in this process has a path with no host or port
    /// (akka://delaysim), so this node's own coordinator is known by the node's address. Without it, a node that takes
    /// submitted runs ignored its own coordinator's announcements and started its share of the cells a pause late.
    /// </summary>
    internal static Address MemberAddress(Address sender, Address self) => sender.HasGlobalScope ? sender : self;

    /// <summary>The cells coordinators sent for drawing figures (<see cref="RemoteFigures"/>), by coordinator and run, until drawn or it leaves.</summary>
    readonly Dictionary<(Address Coordinator, string RunId), Dictionary<int, (string Json, double LambdaMax)>> _figureCells = [];
    static bool _plotsWarm;

    void ForgetFigureCells(Address coordinator)
    {
        foreach (var key in _figureCells.Keys.Where(k => k.Coordinator == coordinator).ToArray()) _figureCells.Remove(key);
    }

    /// <summary>Live workers this node hosts, by the coordinator that asked for them (stopped when it leaves).</summary>
    readonly Dictionary<Address, List<IActorRef>> _live = [];

    /// <summary>A live run's workers: the scenario's replicate built here as on the coordinator, one actor per worker.</summary>
    void StartLive(Live.StartLiveWorkers start)
    {
        try
        {
            var scenario = ScenarioReader.Parse(start.ScenarioText, start.Origin, start.BaseDirectory);
            var (_, replicate, live) = Live.LiveRun.Prepare(scenario);
            if (Live.LiveRun.Fingerprint(replicate) != start.Fingerprint)
                throw new BadInputException("its data, initial point or delaysim build differs from the coordinator's (a different file at the same path, or another version?)");
            var workers = Model.TimeDomain.TimeWorker.CreateAll(replicate, start.Incarnation);
            var server = Context.ActorSelection(start.Server);
            var host = $"{_cluster.SelfAddress.Host}:{_cluster.SelfAddress.Port}";
            var mine = _live.TryGetValue(Sender.Path.Address, out var list) ? list : _live[Sender.Path.Address] = [];
            foreach (var m in start.Workers)
                mine.Add(Context.ActorOf(Live.LiveWorkerActor.Props(workers[m], m, start.Incarnation, live, server, start.RunId, host), $"live-{start.RunId}-{m}-{start.Incarnation}"));
            _log.Information("Live workers [{Workers}] started for {Coordinator}", string.Join(", ", start.Workers), Sender.Path.Address);
        }
        catch (Exception e)
        {
            Sender.Tell(new Live.LiveWorkersFailed(start.RunId, $"node {_cluster.SelfAddress}: {e.Message}", e is BadInputException));
        }
    }

    /// <summary>A live worker that throws is stopped, not restarted: the server sees it terminate and replaces it (a restart would lose its snapshot and stall).</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    public static Props Props(Address? only = null) => Akka.Actor.Props.Create(() => new RunnerActor(only));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.InitialStateAsSnapshot, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));
    protected override void PostStop() => _cluster.Unsubscribe(Self);

    void Found(Member member)
    {
        if (!member.HasRole(ClusterSetup.CoordinatorRole) || (_only is not null && member.Address != _only)
            || _coordinators.Any(c => c.Address == member.Address)) return;
        _coordinators.Add(member);
        _coordinators.Sort((a, b) => a.IsOlderThan(b) ? -1 : b.IsOlderThan(a) ? 1 : 0);
        _log.Information("Coordinator found at {Address}", member.Address);
        (_turn, _refusals) = (0, 0);
        Ask();
    }

    void Lost(Member member)
    {
        if (_live.Remove(member.Address, out var live))
        {
            foreach (var worker in live) Context.Stop(worker);
            _log.Information("Live workers of {Coordinator} stopped: it left the cluster", member.Address);
        }
        ForgetFigureCells(member.Address);
        if (_coordinators.RemoveAll(c => c.Address == member.Address) == 0) return;
        _log.Information("Coordinator at {Address} left", member.Address);
        if (_plan is { } plan && MemberAddress(plan.Coordinator.Path.Address, _cluster.SelfAddress) == member.Address)
        {
            plan.Retire();
            _plan = null;
        }
        (_turn, _refusals) = (0, 0);
    }

    /// <summary>
    /// Asks the coordinator whose turn it is for a cell. A request can be lost (e.g. sent before the coordinator actor
    /// exists), so without an answer in 250 ms the runner asks again.
    /// </summary>
    void Ask()
    {
        if (_running >= _slots || _asking || _coordinators.Count == 0) return;
        var target = _coordinators[_turn % _coordinators.Count].Address;
        var queued = _running > 0 && _running >= _slots - 1;
        Context.ActorSelection(new RootActorPath(target) / "user" / ClusterSetup.CoordinatorName).Tell(new RequestWork(_name, queued), Self);
        _asking = true;
        Timers.StartSingleTimer("ask-again", AskAgain.Instance, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>No work there: try the next coordinator now, or pause once every coordinator has said no.</summary>
    void Refused()
    {
        _asking = false;
        _turn++;
        if (++_refusals < _coordinators.Count)
        {
            Ask();
            return;
        }
        (_turn, _refusals) = (0, 0);
        (_asking, _paused) = (true, true); // until the pause ends
        Timers.StartSingleTimer("ask-again", AskAgain.Instance, TimeSpan.FromMilliseconds(200));
    }

    void Run(RunCell work)
    {
        var coordinator = Sender;
        (_asking, _paused, _refusals) = (false, false, 0);
        _running++;
        Timers.Cancel("ask-again");
        Scenario scenario;
        Cell cell;
        ServedRun served;
        try
        {
            // Parsed once per run, here in the actor, so the plan cache is only ever touched by this actor's thread.
            if (_plan is not { } plan || !plan.Serves(coordinator, work.RunId, work.Format))
            {
                // Let the previous run's data go before loading this one's; its test sets' memory is drawn into again
                // once none of its cells runs here any more.
                _plan?.Retire();
                _plan = null;
                var parsed = ScenarioReader.Parse(work.ScenarioText, work.Origin, work.BaseDirectory) with { Format = work.Format };
                _plan = plan = new ServedRun(coordinator, work.RunId, parsed, CellPlan.Build(parsed, _spares), _spares);
            }
            scenario = plan.Scenario;
            cell = plan.Cells[work.CellIndex];
            if (cell.Name != work.CellName)
                throw new BadInputException($"cell {work.CellIndex} is '{cell.Name}' on this node but '{work.CellName}' at the coordinator (different data files?)");
            var seeds = WorkQueue.Seeds(scenario.Seeds, work.Part, work.Parts).Count;
            _slots = Math.Max(1, Environment.ProcessorCount / Math.Clamp(seeds, 1, Environment.ProcessorCount)) + 1;
            served = plan;
            served.CellStarted();
        }
        catch (Exception e)
        {
            Self.Tell(new Finished(work, coordinator, null, null, null, e));
            return;
        }
        _log.Information("Running cell {Cell} for the coordinator", cell.Name);
        var engine = work.Engine == "direct" ? EngineKind.Direct : EngineKind.Actors;
        if (!_runners.TryGetValue(engine, out var runner))
            _runners[engine] = runner = new SweepRunner(engine, Environment.ProcessorCount, Context.System);
        var (first, count) = WorkQueue.Seeds(scenario.Seeds, work.Part, work.Parts);
        runner.RunAsync([cell], scenario.Seed, count, firstSeed: first)
            .ContinueWith(t =>
            {
                try
                {
                    var replicates = t.Result[0].Replicates;
                    return new Finished(work, coordinator, served, replicates, CellStore.Serialize(cell.Name, replicates), null);
                }
                catch (Exception e)
                {
                    return new Finished(work, coordinator, served, null, null, e is AggregateException a ? a.GetBaseException() : e);
                }
            })
            .PipeTo(Self);
        Ask(); // another free slot: ask for the next cell now
    }

    void Report(Finished finished)
    {
        _running = Math.Max(0, _running - 1); // a cell started before a restart of this actor is not counted now
        var w = finished.Work;
        finished.Coordinator.Tell(finished is { Replicates: { } done, Json: { } json }
            ? new CellDone(w.RunId, w.CellIndex, w.CellName, json, _name, w.Part, [.. done.Select(r => r.StabilityTwinVariance)]) { InProcess = done }
            : new CellFailed(w.RunId, w.CellIndex, finished.Error?.Message ?? "unknown error", finished.Error is BadInputException, _name));
        finished.Run?.CellEnded(); // after the result is on its way: handing the data on is this node's business
        if (_paused)
        {
            // Refused while busy (a coordinator keeps its last cells for free runners): a lane is free now, ask at once.
            Timers.Cancel("ask-again");
            (_asking, _paused, _turn, _refusals) = (false, false, 0, 0);
        }
        Ask();
    }
}

using Akka.Actor;
using Akka.Cluster;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Model;
using Serilog;

namespace DelaySim.Host.Cluster;

/// <summary>The cells of one run, handed to the coordinator; <paramref name="OnCell"/> hears of each cell as it is stored.</summary>
internal sealed record CoordinatedRun(string RunId, string ScenarioText, string Origin, string BaseDirectory, IReadOnlyList<Cell> Cells, string Engine, CellStore Store,
    Action<CellRun> OnCell, int Format, int Seeds = 1)
{
    public static CoordinatedRun Of(IReadOnlyList<Cell> cells, Scenarios.Scenario scenario, EngineKind engine, CellStore? store, Action<CellRun> onCell) =>
        new(RunFolder.Hash(scenario), scenario.Text, scenario.Origin, scenario.BaseDirectory, cells, engine.ToString().ToLowerInvariant(),
            store ?? throw new ArgumentNullException(nameof(store), "a cluster run stores each cell as it arrives"), onCell, scenario.Format, scenario.Seeds);

    /// <summary>
    /// Have a runner on another node draw the later half of the run's figures once every cell is in
    /// (<see cref="Plots.FigureDrawing"/>); they arrive in <see cref="FiguresElsewhere"/>.
    /// </summary>
    public bool ShareFigures { get; init; }

    /// <summary>
    /// Set before the run's cells are handed back when <see cref="ShareFigures"/>: null when no other node holds the cells
    /// (every cell ran here, some were read back from their files, one was too large to send); faults when that node
    /// could not draw them.
    /// </summary>
    public Task<IReadOnlyDictionary<int, Plots.DrawnFigure>>? FiguresElsewhere { get; internal set; }
}

/// <summary>
/// The coordinator: gives cells, cut by seed into parts (<see cref="WorkQueue"/>), to runners that ask (work pulling),
/// stores each cell in the run folder as its last part arrives (so a dead coordinator leaves a resumable folder), and
/// puts the parts of a runner that leaves or is downed back in the queue. Completes the run's task with the cells in plan order.
/// It is created with the ActorSystem, before this node is Up and runners see it, and holds their requests until it is
/// told the run (<see cref="Serve"/>): a request sent to a coordinator that did not exist yet would be lost, and the
/// runner would only ask again after its 250 ms timeout.
/// A standing coordinator (a node that accepts submitted runs) serves one run after another and refuses requests
/// between them instead of holding them. States: Waiting (requests stashed, or refused when standing) → Serving
/// (→ Waiting again when standing and the run is complete).
/// </summary>
internal sealed class CoordinatorActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    public ITimerScheduler Timers { get; set; } = null!;
    public IStash Stash { get; set; } = null!;

    /// <summary>The run to serve, with the task that completes with its cells.</summary>
    public sealed record Serve(CoordinatedRun Run, TaskCompletionSource<IReadOnlyList<CellRun>> Completion);

    CoordinatedRun _run = null!;
    TaskCompletionSource<IReadOnlyList<CellRun>> _completion = null!;
    WorkQueue _pending = new([], 1);
    Dictionary<(int Cell, int Part), string> _inFlight = [];
    // The finished parts of each cell not yet complete, and their lanes' time; a cell is stored when its last part is in.
    Dictionary<int, (IReadOnlyList<Model.Engine.ReplicateResult>?[] Parts, string?[] Json, TimeSpan Time)> _partial = [];
    CellRun?[] _done = [];
    readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
    RunnerPace _pace = new();
    // Which runner got and finished each part: on this node's log, and the terminal of a `run --cluster`; a submitted
    // run's client sees the cells' progress lines instead (SubmissionLog keeps lines with a source context here).
    readonly Serilog.ILogger _dispatch = Log.ForContext<CoordinatorActor>();
    HashSet<string> _runners = []; // every runner that asked during this run
    // For figures drawn on another node once the run is complete (RemoteFigures): each cell's file JSON (null when read
    // back from its file), the runner that receives them as they are stored (or why none does), and its answer.
    string?[] _json = [];
    string? _helper;
    string? _unshared;
    TaskCompletionSource<IReadOnlyDictionary<int, Plots.DrawnFigure>>? _figures;
    bool _asked;

    /// <summary>Sent to itself every 30 s: a run whose runners stopped asking would otherwise wait in silence.</summary>
    sealed record NobodyAsked
    {
        public static readonly NobodyAsked Instance = new();
        public static readonly TimeSpan After = TimeSpan.FromSeconds(30);
    }

    readonly bool _standing;

    public CoordinatorActor(bool standing)
    {
        _standing = standing;
        Waiting();
    }

    void Waiting()
    {
        Receive<Serve>(serve =>
        {
            Become(Serving); // first: a run whose cells were all finished completes in Start, and a standing coordinator waits again
            Start(serve);
            Stash.UnstashAll();
        });
        ReceiveFigures();
        if (_standing) Receive<RequestWork>(_ => Sender.Tell(new NoWork("")));
        else ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>Runs <paramref name="run"/> on <paramref name="coordinator"/>: its cells in plan order once all are in.</summary>
    public static Task<IReadOnlyList<CellRun>> RunAsync(IActorRef coordinator, CoordinatedRun run)
    {
        var completion = new TaskCompletionSource<IReadOnlyList<CellRun>>(TaskCreationOptions.RunContinuationsAsynchronously);
        coordinator.Tell(new Serve(run, completion));
        return completion.Task;
    }

    void Start(Serve serve)
    {
        (_run, _completion) = (serve.Run, serve.Completion);
        (_asked, _inFlight, _runners, _partial, _pace, _helper) = (false, [], [], [], new RunnerPace(), null);
        _unshared = null;
        _done = new CellRun?[_run.Cells.Count];
        _json = new string?[_run.Cells.Count];
        var waiting = new List<int>();
        for (var i = 0; i < _run.Cells.Count; i++)
        {
            if (_run.Store.TryLoad(i, _run.Cells[i].Name) is { } finished) Finish(new CellRun(i, _run.Cells[i], finished, TimeSpan.Zero, Resumed: true));
            else waiting.Add(i);
        }
        if (waiting.Count < _run.Cells.Count) _unshared = "some cells were read back from their files"; // their JSON is not at hand
        // One part per runner node up now (a node draws the data of the seeds it runs, once): see WorkQueue.
        var runners = Akka.Cluster.Cluster.Get(Context.System).State.Members.Count(m => m.Status == MemberStatus.Up && m.HasRole(ClusterSetup.RunnerRole));
        _pending = new WorkQueue(WorkOrder.LargestFirst(_run.Cells, waiting).ToArray(), Math.Clamp(runners, 1, Math.Max(1, _run.Seeds)));
        AnnounceWork();
        CompleteIfDone();
    }

    /// <summary>Tells every runner node that cells wait here, so none of them waits out a pause first.</summary>
    void AnnounceWork()
    {
        if (_pending.Count == 0) return;
        foreach (var member in Akka.Cluster.Cluster.Get(Context.System).State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterSetup.RunnerRole)))
            Context.ActorSelection(new RootActorPath(member.Address) / "user" / ClusterSetup.RunnerName).Tell(new WorkAvailable(_run.RunId));
    }

    void Serving()
    {
        Receive<RequestWork>(request =>
        {
            _asked = true;
            Give(request);
        });
        Receive<NobodyAsked>(_ =>
        {
            if (!_asked && _pending.Count > 0)
                Log.Warning("No runner has asked for work in {Seconds} s and {Cells} cells wait: is a `delaysim node` up in this cluster?", NobodyAsked.After.TotalSeconds, _pending.Count);
            _asked = false;
        });
        Receive<CellDone>(Done);
        ReceiveFigures();
        Receive<CellFailed>(f =>
        {
            if (f.RunId != _run.RunId) return; // from a runner still finishing an earlier run's cell
            Log.Error("Cell {Cell} failed on {Runner}: {Error}", _run.Cells[f.CellIndex].Name, f.Runner, f.Error);
            Fail(f.BadInput ? new BadInputException(f.Error) : new InvalidOperationException(f.Error));
        });
        Receive<ClusterEvent.MemberRemoved>(m => Requeue(m.Member.Address));
        Receive<ClusterEvent.UnreachableMember>(m => Requeue(m.Member.Address));
    }

    /// <param name="standing">Serve one run after another (a node that accepts submitted runs), refusing requests between them.</param>
    public static Props Props(bool standing = false) => Akka.Actor.Props.Create(() => new CoordinatorActor(standing));

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember));
        Timers.StartPeriodicTimer("nobody-asked", NobodyAsked.Instance, NobodyAsked.After);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    void Give(RequestWork request)
    {
        _runners.Add(request.Runner);
        // The last cells go to runners with a free lane, not into the queue of a busy one: a cell queued behind
        // another on one node while a second node idles would end the run a cell late (balance by work, not count).
        var holdBack = request.Queued && _pending.Count < _runners.Count;
        if (holdBack || !_pending.TryTake(request.Runner, out var work, out var first, part => WorthDrawing(request.Runner, part)))
        {
            Sender.Tell(new NoWork(_run.RunId));
            return;
        }
        _inFlight[work] = request.Runner;
        _pace.Given(request.Runner, work, Units(work), first, _watch.Elapsed);
        var cell = _run.Cells[work.Cell];
        if (_pending.Parts == 1) _dispatch.Information("Cell {Cell} → {Runner}", cell.Name, request.Runner);
        else _dispatch.Information("Cell {Cell} part {Part}/{Parts} → {Runner}", cell.Name, work.Part + 1, _pending.Parts, request.Runner);
        Sender.Tell(new RunCell(_run.RunId, _run.ScenarioText, _run.Origin, _run.BaseDirectory, work.Cell, cell.Name, _run.Engine, _run.Format, work.Part, _pending.Parts));
    }

    /// <summary>A cell's work in <see cref="WorkOrder.Estimate"/> units: the cell's per replicate, times the part's seeds.</summary>
    double Units((int Cell, int Part) work) =>
        WorkOrder.Estimate(_run.Cells[work.Cell]) * WorkQueue.Seeds(_run.Seeds, work.Part, _pending.Parts).Count;

    /// <summary>Whether <paramref name="runner"/> should take the next cell of another runner's part, drawing its data (see <see cref="RunnerPace"/>).</summary>
    bool WorthDrawing(string runner, int part)
    {
        var queued = _pending.Queued(part);
        var worth = _pace.WorthTakingCold(runner, _pending.Owners(part), Units((queued.First(), part)), queued.Sum(c => Units((c, part))), _watch.Elapsed);
        if (!worth) _dispatch.Debug("{Runner} waits: part {Part}'s owner will finish its {Cells} cell(s) before it could draw their data", runner, part + 1, queued.Count);
        return worth;
    }

    void Done(CellDone done)
    {
        var work = (done.CellIndex, done.Part);
        if (done.RunId != _run.RunId || _done[done.CellIndex] is not null || !_inFlight.Remove(work, out var holder)) return; // a late duplicate after a requeue
        // From the runner that holds it, or from one that was thought lost and came back (its time says nothing then).
        var time = _watch.Elapsed - (_pace.Done(holder, work, _watch.Elapsed, timed: holder == done.Runner) ?? _watch.Elapsed);
        ChooseHelper(done.Runner);
        try
        {
            if (!Store(done, time)) return;
        }
        catch (Exception e)
        {
            // A part that cannot be read or a file that cannot be written ends the run with its error (a restart would lose it).
            Fail(e);
            return;
        }
        Share(done.CellIndex);
        _dispatch.Information("Cell {Cell} done on {Runner} ({Done}/{Total})", done.CellName, done.Runner, _done.Count(d => d is not null), _done.Length);
        CompleteIfDone();
    }

    /// <summary>Stores the cell <paramref name="done"/> is a part of once its last part is in; false while parts are missing.</summary>
    bool Store(CellDone done, TimeSpan time)
    {
        if (_pending.Parts == 1)
        {
            var replicates = Replicates(done); // read first: a part that cannot be read is never stored as the cell's file
            _run.Store.SaveJson(done.CellIndex, done.CellName, _json[done.CellIndex] = done.Json);
            Finish(new CellRun(done.CellIndex, _run.Cells[done.CellIndex], replicates, time));
            return true;
        }
        var (parts, json, sum) = _partial.TryGetValue(done.CellIndex, out var known) ? known
            : (new IReadOnlyList<Model.Engine.ReplicateResult>?[_pending.Parts], new string?[_pending.Parts], TimeSpan.Zero);
        (parts[done.Part], json[done.Part]) = (Replicates(done), done.Json);
        _partial[done.CellIndex] = (parts, json, sum + time);
        if (parts.Any(p => p is null)) return false;
        _partial.Remove(done.CellIndex);
        // The parts in seed order are the cell's replicates, the list a local run stores, and their texts in that
        // order its file (the bytes a local run writes, without writing the replicates again).
        _run.Store.SaveJson(done.CellIndex, done.CellName, _json[done.CellIndex] = Output.CellJson.Concat(done.CellName, json!));
        Finish(new CellRun(done.CellIndex, _run.Cells[done.CellIndex], parts.SelectMany(p => p!).ToArray(), sum + time));
        return true;
    }

    /// <summary>
    /// A part's replicates: as the runner made them when it runs in this process, else from their JSON, with the twins'
    /// variances the runner sent beside it (the file does not keep them).
    /// </summary>
    static IReadOnlyList<Model.Engine.ReplicateResult> Replicates(CellDone done)
    {
        if (done.InProcess is { } made) return made;
        var replicates = CellStore.Deserialize(done.Json, done.CellName);
        return done.TwinVariances is { } v && v.Length == replicates.Count
            ? [.. replicates.Select((r, i) => r with { StabilityTwinVariance = v[i] })]
            : replicates;
    }

    /// <summary>The cells a lost runner was running go back to the front of the queue.</summary>
    void Requeue(Address address)
    {
        // Runner names are actor paths under the node's address ("akka.tcp://delaysim@host:port/user/runner").
        var prefix = address + "/";
        // Gone, it owns no part any more, idle or not: the others take its part's cells without waiting for it.
        foreach (var runner in _runners.Where(r => r.StartsWith(prefix, StringComparison.Ordinal))) _pace.Lost(runner);
        if (_helper?.StartsWith(prefix, StringComparison.Ordinal) == true) _helper = null; // the next one gets every cell again
        var lost = _inFlight.Where(p => p.Value.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Key).Order().ToArray();
        if (lost.Length > 0)
        {
            Log.Warning("Runner at {Address} is gone; its cells {Cells} go to other runners", address, string.Join(", ", lost.Select(w => _run.Cells[w.Cell].Name).Distinct()));
            foreach (var w in lost) _inFlight.Remove(w);
            _pending.PutBack(lost);
        }
        AnnounceWork();
    }

    /// <summary>
    /// The helper is the first runner on another node that reports a part of this run; it gets every cell stored
    /// before, and each one after as it is stored (<see cref="Share"/>). So it holds them all when the run ends
    /// (<see cref="AskForFigures"/>), and the cells cross while the nodes compute, not after.
    /// </summary>
    void ChooseHelper(string runner)
    {
        if (!_run.ShareFigures || _helper is not null || _unshared is not null
            || runner.StartsWith(Akka.Cluster.Cluster.Get(Context.System).SelfAddress + "/", StringComparison.Ordinal)) return;
        _helper = runner;
        foreach (var cell in Enumerable.Range(0, _json.Length).Where(i => _json[i] is not null)) Share(cell);
    }

    /// <summary>
    /// A stored cell to the helper, with λ_max as this node computed it (cached), so that the helper need not draw
    /// replicate 0's data to summarise it. A cell too large for one of remoting's frames stops the sharing for the run.
    /// </summary>
    void Share(int cell)
    {
        if (_helper is null || _unshared is not null) return;
        var json = _json[cell]!;
        if (json.Length > RemoteFigures.MaxCellChars)
        {
            (_unshared, _helper) = ($"cell {_run.Cells[cell].Name} is too large to send ({json.Length:N0} characters)", null);
            return;
        }
        var done = _done[cell]!;
        Context.ActorSelection(_helper).Tell(new FigureCell(_run.RunId, cell, json, Curvatures.LargestEigenvalue(done.Cell.Spec, done.Replicates[0].Seed)));
    }

    /// <summary>
    /// Once every cell is in: the helper draws the later half of the figures from the cells it holds. Null when there is
    /// none (every cell ran on this node, or was read back from its file, or one was too large to send).
    /// </summary>
    Task<IReadOnlyDictionary<int, Plots.DrawnFigure>>? AskForFigures()
    {
        var why = _unshared ?? (_helper is null ? "no runner on another node reported a cell of this run" : null);
        if (why is not null)
        {
            _dispatch.Debug("Every figure is drawn here: {Reason}", why);
            return null;
        }
        _dispatch.Debug("The later half of the figures → {Runner}", _helper);
        Context.ActorSelection(_helper).Tell(new DrawFigures(_run.RunId, _run.ScenarioText, _run.Origin, _run.BaseDirectory, _run.Format, _json.Length));
        _figures = new TaskCompletionSource<IReadOnlyDictionary<int, Plots.DrawnFigure>>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _figures.Task;
    }

    /// <summary>The runner's answer to <see cref="AskForFigures"/>, in any state (a standing coordinator waits again by then).</summary>
    void ReceiveFigures()
    {
        Receive<FiguresDrawn>(drawn =>
        {
            if (drawn.RunId != _run?.RunId) return;
            // Whatever came (the pipeline checks each figure's name): nothing in it may throw in this actor.
            var figures = new Dictionary<int, Plots.DrawnFigure>();
            foreach (var (index, figure) in (drawn.Indices ?? []).Zip(drawn.Figures ?? [])) figures.TryAdd(index, figure);
            _figures?.TrySetResult(figures);
        });
        Receive<FiguresFailed>(failed =>
        {
            if (failed.RunId == _run?.RunId) _figures?.TrySetException(new InvalidOperationException(failed.Error));
        });
    }

    void Finish(CellRun cell)
    {
        _done[cell.Index] = cell;
        try
        {
            _run.OnCell(cell);
        }
        catch (Exception e)
        {
            // The run's own bookkeeping failed (e.g. summarising the cell): end the run with it rather than restart and report again.
            Fail(e);
        }
    }

    /// <summary>Ends the run with <paramref name="error"/>; a standing coordinator then waits for the next run.</summary>
    void Fail(Exception error)
    {
        _completion.TrySetException(error);
        if (_standing) Become(Waiting);
    }

    void CompleteIfDone()
    {
        if (!_done.All(d => d is not null)) return;
        if (_run.ShareFigures) _run.FiguresElsewhere = AskForFigures();
        _json = []; // sent, or never to be
        _completion.TrySetResult(_done.Select(d => d!).ToArray());
        if (_standing) Become(Waiting);
    }
}

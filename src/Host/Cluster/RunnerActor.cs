using Akka.Actor;
using Akka.Cluster;
using DelaySim.Host.Output;
using DelaySim.Host.Running;
using DelaySim.Host.Scenarios;
using DelaySim.Model;

namespace DelaySim.Host.Cluster;

/// <summary>
/// A runner: pulls a cell from the coordinator whenever it has a free core (up to one cell per core at once; a cell's
/// replicates share the node's cores), runs it with the local engine and sends the result back to the coordinator that
/// gave it. Work pulling keeps fast and slow machines busy alike. A node outlives runs: it follows the newest
/// coordinator that joins and forgets one that leaves.
/// </summary>
public sealed class RunnerActor : ReceiveActor, IWithTimers
{
    public ITimerScheduler Timers { get; set; } = null!;

    sealed record Finished(RunCell Work, IActorRef Coordinator, string? Json, Exception? Error);
    sealed record AskAgain
    {
        public static readonly AskAgain Instance = new();
    }

    readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    readonly Dictionary<string, IReadOnlyList<Cell>> _plans = [];
    readonly string _name;
    /// <summary>
    /// Cells run at once: enough for their replicates to fill the cores (a cell runs its replicates in parallel), so
    /// cores/seeds cells, at least one; set from each cell's scenario. More would only interleave replicates on the same
    /// lanes (measured: 20–30 % slower on 2 cores).
    /// </summary>
    int _slots = Environment.ProcessorCount;
    ActorSelection? _coordinator;
    Address? _coordinatorAddress;
    int _running;

    public RunnerActor()
    {
        _name = Self.Path.ToStringWithAddress(_cluster.SelfAddress);
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up)) Found(member);
        });
        Receive<ClusterEvent.MemberUp>(up => Found(up.Member));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.Address != _coordinatorAddress) return;
            Serilog.Log.Information("Coordinator at {Address} left; waiting for the next one", removed.Member.Address);
            (_coordinator, _coordinatorAddress) = (null, null);
        });
        Receive<RunCell>(Run);
        Receive<NoWork>(_ => Timers.StartSingleTimer("ask-again", AskAgain.Instance, TimeSpan.FromMilliseconds(200)));
        Receive<AskAgain>(_ => Ask());
        Receive<Finished>(Report);
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new RunnerActor());

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.InitialStateAsSnapshot, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));
    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <summary>A coordinator is up: the newest one is the one with work (an older one still in the cluster is finishing).</summary>
    void Found(Member member)
    {
        if (!member.HasRole(ClusterSetup.CoordinatorRole) || member.Address == _coordinatorAddress) return;
        _coordinatorAddress = member.Address;
        _coordinator = Context.ActorSelection(new RootActorPath(member.Address) / "user" / ClusterSetup.CoordinatorName);
        Serilog.Log.Information("Coordinator found at {Address}", member.Address);
        Ask();
    }

    /// <summary>Asks for a cell; asks again after 250 ms while a core is free, since a request can be lost (e.g. sent before the coordinator actor exists).</summary>
    void Ask()
    {
        if (_running >= _slots || _coordinator is null) return;
        _coordinator.Tell(new RequestWork(_name), Self);
        Timers.StartSingleTimer("ask-again", AskAgain.Instance, TimeSpan.FromMilliseconds(250));
    }

    void Run(RunCell work)
    {
        var coordinator = Sender;
        _running++;
        Timers.Cancel("ask-again");
        Scenario scenario;
        Cell cell;
        try
        {
            // Parsed here, in the actor, so the plan cache is only ever touched by this actor's thread.
            scenario = ScenarioReader.Parse(work.ScenarioText, work.Origin, work.BaseDirectory);
            if (!_plans.TryGetValue(work.RunId, out var cells))
            {
                _plans.Clear(); // a long-lived runner keeps only the current run's plan (and its data) in memory
                _plans[work.RunId] = cells = CellPlan.Build(scenario);
            }
            cell = cells[work.CellIndex];
            _slots = Math.Max(1, Environment.ProcessorCount / Math.Min(scenario.Seeds, Environment.ProcessorCount));
            if (cell.Name != work.CellName)
                throw new BadInputException($"cell {work.CellIndex} is '{cell.Name}' on this node but '{work.CellName}' at the coordinator (different data files?)");
        }
        catch (Exception e)
        {
            Self.Tell(new Finished(work, coordinator, null, e));
            return;
        }
        Serilog.Log.Information("Running cell {Cell} for the coordinator", cell.Name);
        var engine = work.Engine == "direct" ? EngineKind.Direct : EngineKind.Actors;
        var runner = new SweepRunner(engine, Environment.ProcessorCount, Context.System);
        runner.RunAsync([cell], scenario.Seed, scenario.Seeds)
            .ContinueWith(t => new Finished(work, coordinator, t.IsCompletedSuccessfully ? CellStore.Serialize(cell.Name, t.Result[0].Replicates) : null, t.Exception?.GetBaseException()))
            .PipeTo(Self);
        Ask(); // another free core: ask for the next cell now
    }

    void Report(Finished finished)
    {
        _running--;
        var w = finished.Work;
        finished.Coordinator.Tell(finished.Json is { } done
            ? new CellDone(w.RunId, w.CellIndex, w.CellName, done, _name)
            : new CellFailed(w.RunId, w.CellIndex, finished.Error?.Message ?? "unknown error", finished.Error is BadInputException, _name));
        Ask();
    }
}

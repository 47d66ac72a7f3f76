using Akka.Actor;
using Akka.TestKit.Xunit2;
using DelaySim.Host.Cluster;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// The coordinator of a node that accepts submitted runs: it serves one run after another, refuses requests between
/// runs instead of holding them (a held request would stall the runner that sent it), and tells the runner nodes when
/// a run has cells, so none of them waits out its pause first.
/// </summary>
[Collection("cli")] // logs through Serilog's static logger, to the console that the cli tests capture
public sealed class StandingCoordinatorTests() : TestKit("""
    akka.loglevel = WARNING
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
    akka.cluster.roles = [runner, coordinator]
    """)
{
    /// <summary>Stands in for this node's runner at /user/runner.</summary>
    sealed class Forward : ReceiveActor
    {
        public Forward(IActorRef to) => ReceiveAny(to.Forward);
    }

    /// <summary>This test node joins itself and is Up; <paramref name="runner"/> stands in for its runner.</summary>
    async Task<IActorRef> StandingCoordinatorOnAnUpNode(IActorRef runner)
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        Assert.True(await Task.WhenAny(up.Task, Task.Delay(TimeSpan.FromSeconds(20))) == up.Task, "the test node did not come up");
        Sys.ActorOf(Props.Create(() => new Forward(runner)), ClusterSetup.RunnerName);
        return Sys.ActorOf(CoordinatorActor.Props(standing: true));
    }

    static CoordinatedRun RunOf(DelaySim.Host.Scenarios.Scenario scenario, string folder, Action<CellRun>? onCell = null) =>
        CoordinatedRun.Of(CellPlan.Build(scenario), scenario, EngineKind.Direct, new CellStore(folder), onCell ?? (_ => { }));

    [Fact]
    public async Task It_refuses_requests_between_runs_announces_each_run_and_serves_the_next()
    {
        var announced = CreateTestProbe();
        var coordinator = await StandingCoordinatorOnAnUpNode(announced.Ref);
        var runner = CreateTestProbe();

        coordinator.Tell(new RequestWork("idle"), runner.Ref);
        runner.ExpectMsg<NoWork>(); // no run: refused at once, not held

        // A run whose cells are all in its folder already completes at once; the coordinator is idle again after it.
        var scenario = Scenarios.Parse(Scenarios.Small);
        var finished = Scenarios.TempFolder();
        await RunPipeline.RunAsync(scenario, finished, new LocalExecutor(EngineKind.Direct, 1), 1, printTable: false);
        var resumed = await CoordinatorActor.RunAsync(coordinator, RunOf(scenario, finished)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(resumed, cell => Assert.True(cell.Resumed));
        coordinator.Tell(new RequestWork("between"), runner.Ref);
        runner.ExpectMsg<NoWork>();
        announced.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // nothing to give: nothing announced

        // The next run is announced to the runner nodes and served.
        var next = RunOf(scenario, Scenarios.TempFolder());
        _ = CoordinatorActor.RunAsync(coordinator, next);
        Assert.Equal(next.RunId, announced.ExpectMsg<WorkAvailable>(TimeSpan.FromSeconds(5)).RunId);
        coordinator.Tell(new RequestWork("served"), runner.Ref);
        Assert.Equal(next.RunId, runner.ExpectMsg<RunCell>().RunId);
    }

    [Fact]
    public void A_runner_knows_its_own_nodes_coordinator_by_the_nodes_address()
    {
        // The coordinator of a node that accepts runs announces work to the node's own runner from a local path, which
        // has no host: the runner must still find it among the cluster's coordinators (it ignored it, and waited out a pause).
        var self = new Address("akka.tcp", "delaysim", "127.0.0.1", 4053);
        var local = Sys.ActorOf(Props.Create(() => new Forward(TestActor)), "coordinator-here").Path.Address;
        Assert.False(local.HasGlobalScope);
        Assert.Equal(self, RunnerActor.MemberAddress(local, self));
        var remote = new Address("akka.tcp", "delaysim", "127.0.0.2", 4054);
        Assert.Equal(remote, RunnerActor.MemberAddress(remote, self));
    }

    [Fact]
    public async Task The_last_cells_go_to_runners_with_a_free_lane_not_into_a_busy_runners_queue()
    {
        var coordinator = await StandingCoordinatorOnAnUpNode(CreateTestProbe().Ref);
        var (a, b) = (CreateTestProbe(), CreateTestProbe());
        var five = Scenarios.Parse(Scenarios.Small.Replace("tau = [0, 3, 7]", "tau = [0, 1, 2, 3, 7]"));
        _ = CoordinatorActor.RunAsync(coordinator, RunOf(five, Scenarios.TempFolder()));

        coordinator.Tell(new RequestWork("a"), a.Ref);
        a.ExpectMsg<RunCell>();
        coordinator.Tell(new RequestWork("a", Queued: true), a.Ref); // 3 left, one runner known: fetched ahead
        a.ExpectMsg<RunCell>();
        coordinator.Tell(new RequestWork("b"), b.Ref);
        b.ExpectMsg<RunCell>();
        coordinator.Tell(new RequestWork("b", Queued: true), b.Ref); // 2 left, two runners: still ahead
        b.ExpectMsg<RunCell>();
        coordinator.Tell(new RequestWork("a", Queued: true), a.Ref); // 1 left, two runners: kept for a free lane
        a.ExpectMsg<NoWork>();
        coordinator.Tell(new RequestWork("a"), a.Ref);               // a lane of a's is free: the last cell
        a.ExpectMsg<RunCell>();
    }
}

using Akka.TestKit.Xunit2;
using DelaySim.Host.Cluster;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// The coordinator actor exists before its node is Up and holds the runners' requests until it is told the run: a
/// request that reached no actor would be lost, and its runner would idle until it asked again.
/// </summary>
public sealed class CoordinatorActorTests() : TestKit("""
    akka.loglevel = WARNING
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
    """)
{
    [Fact]
    public void A_request_that_arrives_before_the_run_is_answered_once_the_run_is_there()
    {
        var scenario = Scenarios.Parse(Scenarios.Small);
        var cells = CellPlan.Build(scenario);
        var run = new CoordinatedRun(RunFolder.Hash(scenario), scenario.Text, scenario.Origin, scenario.BaseDirectory, cells, "direct",
            new CellStore(Scenarios.TempFolder()), _ => { }, scenario.Format);
        var runner = CreateTestProbe();
        var coordinator = Sys.ActorOf(CoordinatorActor.Props());

        coordinator.Tell(new RequestWork("early"), runner.Ref);
        runner.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no run yet: nothing to give and nothing to refuse

        coordinator.Tell(new CoordinatorActor.Serve(run, new TaskCompletionSource<IReadOnlyList<CellRun>>()), TestActor);
        var given = runner.ExpectMsg<RunCell>();
        Assert.Equal(run.RunId, given.RunId);
        Assert.Equal(cells[WorkOrder.LargestFirst(cells, Enumerable.Range(0, cells.Count)).First()].Name, given.CellName);

        coordinator.Tell(new RequestWork("later"), runner.Ref);
        Assert.NotEqual(given.CellIndex, runner.ExpectMsg<RunCell>().CellIndex);
    }
}

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
[Collection("cli")] // logs through Serilog's static logger, to the console that the cli tests capture
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

    /// <summary>
    /// A submitted run shares its end (RemoteFigures): each cell goes to the first runner on another node as it is
    /// stored, and once all are in, that runner is asked for the figures, whose answer (even a malformed one, with an
    /// index twice) completes the run's FiguresElsewhere.
    /// </summary>
    [Fact]
    public async Task The_cells_of_a_submitted_run_go_to_a_runner_on_another_node_as_they_are_stored_and_it_is_asked_for_the_figures()
    {
        var scenario = Scenarios.Parse(Scenarios.Small);
        var cells = CellPlan.Build(scenario);
        var results = await new SweepRunner(EngineKind.Direct, 1, null).RunAsync(cells, scenario.Seed, scenario.Seeds);
        var run = new CoordinatedRun(RunFolder.Hash(scenario), scenario.Text, scenario.Origin, scenario.BaseDirectory, cells, "direct",
            new CellStore(Scenarios.TempFolder()), _ => { }, scenario.Format, scenario.Seeds) { ShareFigures = true };
        var completion = new TaskCompletionSource<IReadOnlyList<CellRun>>();
        var runner = CreateTestProbe();
        var name = runner.Ref.Path.ToString(); // not under this node's address: a runner on another node
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(standing: true));
        coordinator.Tell(new CoordinatorActor.Serve(run, completion), TestActor);

        for (var i = 0; i < cells.Count; i++)
        {
            coordinator.Tell(new RequestWork(name), runner.Ref);
            var work = runner.ExpectMsg<RunCell>();
            var json = CellStore.Serialize(work.CellName, results[work.CellIndex].Replicates);
            var variances = results[work.CellIndex].Replicates.Select(r => r.StabilityTwinVariance).ToArray();
            coordinator.Tell(new CellDone(run.RunId, work.CellIndex, work.CellName, json, name, TwinVariances: variances), runner.Ref);
            var shared = runner.ExpectMsg<FigureCell>();
            Assert.Equal((run.RunId, work.CellIndex, json), (shared.RunId, shared.CellIndex, shared.Json));
            Assert.Equal(Curvatures.LargestEigenvalue(cells[work.CellIndex].Spec, results[work.CellIndex].Replicates[0].Seed), shared.LambdaMax);
        }
        var draw = runner.ExpectMsg<DrawFigures>();
        Assert.Equal((run.RunId, cells.Count), (draw.RunId, draw.Cells));
        // The twins' variances, which the cell's file does not keep, came beside it: the advice on twins is a local run's.
        var completed = await completion.Task;
        Assert.Equal(cells.Count, completed.Count);
        Assert.All(completed.SelectMany(c => c.Replicates), r => Assert.True(double.IsFinite(r.StabilityTwinVariance)));
        Assert.Equal(results.SelectMany(c => c.Replicates).Select(r => r.StabilityTwinVariance), completed.SelectMany(c => c.Replicates).Select(r => r.StabilityTwinVariance));

        var figure = new DelaySim.Host.Plots.DrawnFigure("losses-vs-iteration", [1], "<svg/>");
        coordinator.Tell(new FiguresDrawn(run.RunId, [1, 1], [figure, figure with { Svg = "<svg>again</svg>" }]), runner.Ref);
        var figures = await run.FiguresElsewhere!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(figures);
        Assert.Equal("<svg/>", figures[1].Svg);
        coordinator.Tell(new RequestWork(name), runner.Ref);
        runner.ExpectMsg<NoWork>();                             // the standing coordinator still answers: it did not fail
    }

    /// <summary>
    /// A finished part whose JSON cannot be read (a damaged message, another build) fails the run with the reader's
    /// error; the coordinator used to throw inside the actor, restart with the run lost, and leave the run waiting.
    /// </summary>
    [Fact]
    public async Task A_part_that_cannot_be_read_ends_the_run_with_its_error_and_the_standing_coordinator_serves_the_next()
    {
        var scenario = Scenarios.Parse(Scenarios.Small);
        var cells = CellPlan.Build(scenario);
        var folder = Scenarios.TempFolder();
        var run = new CoordinatedRun(RunFolder.Hash(scenario), scenario.Text, scenario.Origin, scenario.BaseDirectory, cells, "direct",
            new CellStore(folder), _ => { }, scenario.Format, scenario.Seeds);
        var completion = new TaskCompletionSource<IReadOnlyList<CellRun>>();
        var runner = CreateTestProbe();
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(standing: true));
        coordinator.Tell(new CoordinatorActor.Serve(run, completion), TestActor);
        coordinator.Tell(new RequestWork("r"), runner.Ref);
        var work = runner.ExpectMsg<RunCell>();

        coordinator.Tell(new CellDone(run.RunId, work.CellIndex, work.CellName, "{\"Cell\": 3", "r"), runner.Ref);

        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => completion.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        // Nor was it stored as the cell's file, which a resumed run would stop at.
        Assert.Empty(Directory.Exists(Path.Combine(folder, "cells")) ? Directory.GetFiles(Path.Combine(folder, "cells")) : []);
        coordinator.Tell(new RequestWork("r"), runner.Ref);
        runner.ExpectMsg<NoWork>();   // it waits for the next run instead of restarting with this one lost
    }
}

using Akka.Actor;
using DelaySim.Host.Cluster;
using DelaySim.Host.Pipeline;
using DelaySim.Model.Data;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// A runner node hands a served run's synthetic test sets to its spares once the run is retired and none of its cells
/// runs there any more (<see cref="ServedRun"/>), whichever comes last, and only once.
/// </summary>
public class ServedRunTests
{
    static (ServedRun Run, SpareArrays Spares, long Bytes) Served()
    {
        var scenario = Scenarios.Parse(Scenarios.Small);
        var spares = new SpareArrays(1L << 30);
        var cells = CellPlan.Build(scenario, spares);
        var sets = new[] { 1UL, 2UL }.Select(seed => cells[0].Spec.Data.Load(seed).Test).ToArray();
        return (new ServedRun(ActorRefs.Nobody, "run", scenario, cells, spares), spares, sets.Sum(s => s.RowLanes!.LongLength * sizeof(double)));
    }

    [Fact]
    public void A_run_retired_while_a_cell_of_it_runs_hands_its_data_on_when_that_cell_ends()
    {
        var (run, spares, bytes) = Served();
        Assert.True(bytes > 0);
        run.CellStarted();
        run.CellStarted();
        run.CellEnded();

        run.Retire();   // the next run's first cell arrived while this run's last one still runs
        Assert.Equal(0, spares.Bytes);

        run.CellEnded();
        Assert.Equal(bytes, spares.Bytes);
    }

    [Fact]
    public void A_run_with_no_cell_running_hands_its_data_on_when_retired_and_only_once()
    {
        var (run, spares, bytes) = Served();
        run.CellStarted();
        run.CellEnded();
        Assert.Equal(0, spares.Bytes);   // not retired: the coordinator may send more of its cells

        run.Retire();
        Assert.Equal(bytes, spares.Bytes);

        // A second release would hand on nothing in place of what the next run is about to draw into.
        run.Retire();
        run.CellStarted();
        run.CellEnded();
        Assert.Equal(bytes, spares.Bytes);
    }

    [Fact]
    public void It_serves_the_cells_of_its_own_run_and_format_only()
    {
        var (run, _, _) = Served();
        Assert.True(run.Serves(ActorRefs.Nobody, "run", run.Scenario.Format));
        Assert.False(run.Serves(ActorRefs.Nobody, "another run", run.Scenario.Format));
        Assert.False(run.Serves(ActorRefs.Nobody, "run", run.Scenario.Format + 1));
    }
}

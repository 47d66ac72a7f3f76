using DelaySim.Host.Cluster;
using DelaySim.Host.Pipeline;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

public class WorkOrderTests
{
    [Fact]
    public void The_coordinator_hands_out_the_largest_cells_first_and_breaks_ties_in_plan_order()
    {
        // Steps 100, 1000, 300, each at τ = 0 and 3: equal work within a sweep point, so plan order decides there.
        var cells = CellPlan.Build(Scenarios.Parse(Scenarios.Small.Edit("tau = [0, 3, 7]", "tau = [0, 3]") +
            "\nsweep { \"optimizer.iterations\" = [100, 1000, 300] }"));
        Assert.Equal([2, 3, 4, 5, 0, 1], WorkOrder.LargestFirst(cells, Enumerable.Range(0, cells.Count)));
        Assert.True(WorkOrder.Estimate(cells[2]) > 9 * WorkOrder.Estimate(cells[0]));
    }
}

using DelaySim.Model.Engine;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>When servers checkpoint and stop: at every k-th version and at the last, whichever budget ends the run.</summary>
public class BudgetTests
{
    static List<long> Checkpoints(CellSpec spec, int gradientsPerUpdate)
    {
        var budget = new Budget(spec, new double[3]);
        var seen = new List<long>();
        while (!budget.Finished)
            if (budget.AfterUpdate(gradientsPerUpdate)) seen.Add(budget.Version);
        return seen;
    }

    [Fact]
    public void A_step_budget_checkpoints_every_k_steps_and_at_the_end()
    {
        var spec = SpecBuilder.Fixed(0).Build() with { Iterations = 230, CheckpointEvery = 50 };
        Assert.Equal([50, 100, 150, 200, 230], Checkpoints(spec, 1));
    }

    [Fact]
    public void A_gradient_budget_ends_at_the_update_that_reaches_it_and_that_update_is_a_checkpoint()
    {
        // Three gradients per update, 100 gradients: update 34 reaches 102 and is applied whole.
        var spec = SpecBuilder.Fixed(0).Build() with { Iterations = int.MaxValue, GradientBudget = 100, CheckpointEvery = 10 };
        Assert.Equal([10, 20, 30, 34], Checkpoints(spec, 3));
    }

    [Fact]
    public void An_exploded_trajectory_stops_the_run_at_its_checkpoint_unless_the_budget_watches_no_divergence()
    {
        var spec = SpecBuilder.Fixed(0).Build();
        var watching = new Budget(spec, new double[3]);
        var twin = new Budget(spec, new double[3], watchesDivergence: false);
        double[] exploded = [double.NaN, 0, 0];
        foreach (var b in new[] { watching, twin })
        {
            while (!b.AfterUpdate(1)) { }
            b.AtCheckpoint(exploded);
        }
        Assert.True(watching.Finished && watching.Diverged);
        Assert.False(twin.Finished);
    }
}

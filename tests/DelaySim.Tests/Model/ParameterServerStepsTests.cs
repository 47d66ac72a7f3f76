using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>
/// The parameter server counts server steps as the official code does, empty ones included. Worked by hand for M = 4
/// workers with d = 8: worker m fires at the steps t ≡ m (mod 8), so steps 0–3 and 8–11 each apply one gradient and
/// steps 4–7 and 12–15 are empty; 16 steps apply 8 gradients.
/// </summary>
public class ParameterServerStepsTests
{
    static Replicate Run(bool countSteps, int iterations) =>
        Replicate.Prepare((SpecBuilder.Fixed(0) with { Twins = 1, CheckpointEvery = 4 }).Build() with
        {
            Time = TimeDomainSpec.ParameterServer([8, 8, 8, 8], "ps d=8", countSteps),
            Iterations = iterations,
            Workers = 4,
        }, 21);

    [Fact]
    public void Sixteen_steps_with_four_workers_and_d_8_apply_eight_gradients_one_per_nonempty_step()
    {
        var result = DirectEngine.Run(Run(countSteps: true, iterations: 16), 0);

        // Every gradient applied: steps 0–3 (computed on w_0: staleness 0, 1, 2, 3) and 8–11 (each worker pulled right
        // after its own update; the 3 other workers updated since: staleness 3).
        Assert.Equal(8, result.Workers!.Sum(w => w.Updates));
        Assert.All(result.Workers!, w => Assert.Equal(2, w.Updates));
        Assert.Equal([1L, 1, 1, 5], result.StalenessCounts.Take(4));
        Assert.Equal(8, result.StalenessCounts.Sum());

        // Checkpoints every 4 server steps: w does not move over the empty steps 4–7 and 12–15.
        Assert.Equal([0L, 4, 8, 12, 16], result.Checkpoints.Select(c => c.Iteration));
        Assert.Equal(result.Checkpoints[1].TrainLoss, result.Checkpoints[2].TrainLoss);
        Assert.Equal(result.Checkpoints[3].TrainLoss, result.Checkpoints[4].TrainLoss);
        Assert.NotEqual(result.Checkpoints[2].TrainLoss, result.Checkpoints[3].TrainLoss);

        var summary = CellSummary.From("ps", Run(true, 16).Spec, 40, [result], double.NaN);
        Assert.Equal((8.0, 8.0), summary.Steps);
    }

    [Fact]
    public void Sixteen_steps_end_where_eight_counted_updates_end()
    {
        // Empty steps change nothing (constant η), so 16 server steps are the 8 updates of the counting-updates run.
        var steps = DirectEngine.Run(Run(countSteps: true, iterations: 16), 0);
        var updates = DirectEngine.Run(Run(countSteps: false, iterations: 8), 0);
        for (var k = 0; k < steps.FinalParameters.Length; k++)
            Assert.Equal(updates.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits), steps.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal((8.0, 0.0), CellSummary.From("ps", Run(false, 8).Spec, 40, [updates], double.NaN).Steps);
    }

    [Theory]
    [InlineData(4, 8, 16, 8)]
    [InlineData(16, 32, 2000, 1008)] // 62 full cycles of 32 steps with 16 busy ones, then 16 busy steps
    [InlineData(16, 16, 100, 100)]
    [InlineData(4, 1, 10, 10)]
    public void Steps_with_gradients_count_the_steps_some_worker_fires_in(int workers, int d, int steps, int expected) =>
        Assert.Equal(expected, new FiringSchedule(Enumerable.Repeat(d, workers).ToArray()).StepsWithGradients(steps));
}

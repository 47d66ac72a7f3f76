using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

public class DirectEngineTests
{
    /// <summary>A source of one example (x = 1, y = 1) whose twin replacement is the original row itself.</summary>
    sealed class OneExample : IDataSource
    {
        static readonly Dataset Data = new([1.0], [1.0], 1);
        public string Description => "one example";
        public DataSplit Load(ulong replicateSeed) => new(Data, Data, Description);
        public double DrawReplacement(DataSplit split, int index, Rng rng, Span<double> row)
        {
            split.Train.Row(index).CopyTo(row);
            return split.Train.Label(index);
        }
    }

    static CellSpec Spec(IStaleness staleness, int iterations, double eta = 0.5, int twins = 0) =>
        new(new ProblemSpec(ProblemKind.LeastSquares), new OneExample(), staleness, eta, iterations, 1, Sampling.Uniform, twins, 1, 0, 1);

    [Fact]
    public void A_fixed_delay_of_two_follows_the_hand_computed_recursion()
    {
        // f(w) = ½(w − 1)², ∇f = w − 1, w_0 = 0, η = ½, τ = 2, stale point w_{max(0, t−2)}:
        // w1 = 0 − ½(0 − 1) = 0.5;  w2 = 0.5 + 0.5 = 1;  w3 = 1 + 0.5 = 1.5        (all use w_0)
        // w4 = 1.5 − ½(w1 − 1) = 1.75;  w5 = 1.75 − ½(w2 − 1) = 1.75;  w6 = 1.75 − ½(w3 − 1) = 1.5
        double[] expected = [0.5, 1, 1.5, 1.75, 1.75, 1.5];
        for (var t = 1; t <= expected.Length; t++)
        {
            var result = DirectEngine.Run(Replicate.Prepare(Spec(new FixedStaleness(2), t), 1), 0);
            Assert.Equal(expected[t - 1], result.FinalParameters[0][0]);
            Assert.Equal((long)Math.Max(0, t - 2), result.StalenessCounts[2]);
        }
    }

    [Fact]
    public void Staleness_is_clamped_at_the_first_steps_and_counted()
    {
        var result = DirectEngine.Run(Replicate.Prepare(Spec(new FixedStaleness(3), 10), 1), 0);
        // Steps 0, 1, 2 see staleness 0, 1, 2 (w_0 stands in for w_{t−3}); the 7 others see 3.
        Assert.Equal([1L, 1, 1, 7], result.StalenessCounts);
    }

    [Fact]
    public void Twins_coincide_exactly_when_the_replacement_equals_the_original()
    {
        var result = DirectEngine.Run(Replicate.Prepare(Spec(new UniformStaleness(4), 50, eta: 0.3, twins: 1), 2), 0);
        Assert.Equal(result.FinalParameters[0], result.FinalParameters[1]);
        Assert.All(result.Checkpoints, c => Assert.Equal(0.0, c.TwinL2));
        Assert.Equal(0.0, result.StabilityLoss);
    }

    [Fact]
    public void Twins_on_a_different_sample_move_apart_but_share_the_plan()
    {
        var replicate = SpecBuilder.Fixed(3).Replicate();
        var result = DirectEngine.Run(replicate, 0);
        Assert.True(result.Final.TwinL2 > 0);
        // Coupling: the twins see the same initial point, so the distance starts at exactly 0.
        Assert.Equal(0.0, result.Checkpoints[0].TwinL2);
        Assert.Equal(3, replicate.PerturbedIndices.Distinct().Count());
    }

    [Fact]
    public void The_history_ring_returns_the_versions_it_keeps_and_refuses_older_ones()
    {
        var history = new ParameterHistory([0.0], maxStaleness: 2);
        for (var t = 0; t < 5; t++) history.Step([-1.0], 1);
        Assert.Equal(5, history.Version);
        Assert.Equal([3.0], history.At(3).ToArray());
        Assert.Equal([5.0], history.Current.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => history.At(2).ToArray());
    }

    [Fact]
    public void Shuffle_sampling_visits_every_example_once_per_epoch()
    {
        var planner = new StepPlanner(new FixedStaleness(0), n: 10, batch: 5, Sampling.Shuffle, seed: 4);
        var batch = new int[5];
        var seen = new List<int>();
        for (var step = 0; step < 2; step++)
        {
            planner.Next(batch);
            seen.AddRange(batch);
        }
        Assert.Equal(Enumerable.Range(0, 10), seen.Order());
    }

    [Fact]
    public void Uniform_random_staleness_covers_its_range_with_the_declared_mean()
    {
        var staleness = new UniformStaleness(8);
        var sequence = staleness.Start(1, "delay");
        var draws = Enumerable.Range(0, 90_000).Select(t => sequence.Next(t)).ToArray();
        Assert.Equal(Enumerable.Range(0, 9), draws.Distinct().Order());
        // sd of the mean of 90,000 draws of U{0..8} is 2.58/300 ≈ 0.0086; 0.05 is about 6 sd.
        Assert.InRange(draws.Average(), staleness.Mean - 0.05, staleness.Mean + 0.05);
    }
}

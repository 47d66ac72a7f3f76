using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

public class MeasurementTests
{
    /// <summary>Scalar data x_j, y_j; the twin's replacement keeps x_i and moves y_i by one.</summary>
    sealed class ScalarData : IDataSource
    {
        public static readonly Dataset Train = new([0.5, 1.0, -1.5, 2.0, 0.8], [1.0, -0.5, 0.3, 2.0, -1.0], 1);
        public string Description => "scalar";
        public DataSplit Load(ulong replicateSeed) => new(Train, Train, Description);
        public double DrawReplacement(DataSplit split, int index, Rng rng, Span<double> row)
        {
            row[0] = split.Train.Row(index)[0];
            return split.Train.Label(index) + 1;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void The_twin_difference_follows_the_linear_delayed_recursion(int tau)
    {
        // f = ½(xw − y)². With x′_i = x_i and y′_i = y_i + 1, δ = w − w′ obeys
        // δ_{t+1} = δ_t − η x_j² δ_{v_t} − η·1[j_t = i]·x_i·(y′_i − y_i), δ_0 = 0, v_t = max(0, t − τ).
        const double eta = 0.1;
        const int steps = 60;
        var spec = new CellSpec(new ProblemSpec(ProblemKind.LeastSquares), new ScalarData(), new FixedStaleness(tau), eta, steps, 1,
            Sampling.Uniform, 1, 1, 0, 1);
        var replicate = Replicate.Prepare(spec, 8);
        var result = DirectEngine.Run(replicate, 0);

        var i = replicate.PerturbedIndices[0];
        var planner = new StepPlanner(spec.Staleness, ScalarData.Train.Count, 1, Sampling.Uniform, replicate.Seed);
        var delta = new double[steps + 1];
        var batch = new int[1];
        for (var t = 0; t < steps; t++)
        {
            var v = planner.Next(batch);
            var j = batch[0];
            var x = ScalarData.Train.Row(j)[0];
            delta[t + 1] = delta[t] - eta * x * x * delta[v] - (j == i ? eta * x * 1.0 : 0);
            // The engine's twin distance is |δ_t| (one twin, one parameter); rounding differs, the recursion does not.
            Assert.Equal(Math.Abs(delta[t + 1]), result.Checkpoints[t + 1].TwinL2, 12);
        }
        Assert.True(delta.Max(Math.Abs) > 0.01, "the perturbed sample was never drawn; pick another seed");
    }

    [Fact]
    public void Gap_and_loss_form_stability_agree_within_their_intervals_on_a_synthetic_quadratic()
    {
        // Both estimate E[F(A(S)) − F_S(A(S))]. 40 seeds × 16 twins; the intervals are 95 % t-intervals.
        var scenario = Scenarios.Parse(Scenarios.Small
            .Edit("seeds = 2", "seeds = 40")
            .Edit("twins = 3", "twins = 16")
            .Edit("tau = [0, 3, 7]", "tau = [2]")
            .Edit("n-test = 200", "n-test = 5000"));
        var cell = DelaySim.Host.Pipeline.CellPlan.Build(scenario)[0];
        var results = Enumerable.Range(0, scenario.Seeds)
            .Select(r => DirectEngine.Run(Replicate.Prepare(cell.Spec, Streams.Replicate(scenario.Seed, r)), r)).ToArray();
        var summary = CellSummary.From(cell.Name, cell.Spec, cell.TrainCount, results, double.NaN);
        Assert.True(summary.EstimatorsAgree == true, $"gap {summary.GenGap} ± {summary.GenGapCi95}, stability {summary.StabilityLoss} ± {summary.StabilityLossCi95}");
        Assert.True(summary.GenGapCi95 > 0 && summary.StabilityLossCi95 > 0);
    }

    [Fact]
    public void A_diverged_replicate_is_counted_but_left_out_of_the_means()
    {
        var spec = SpecBuilder.Fixed(0).Build();
        ReplicateResult Result(double train, double test) =>
            new(0, 1, [new Checkpoint(0, 1, 1, double.NaN, 0, 0), new Checkpoint(300, train, test, double.NaN, 0.5, 0.25)], test - train, [300], [new double[12]]);
        var summary = CellSummary.From("c", spec, 40, [Result(0.1, 0.3), Result(0.2, 0.3), Result(double.NaN, double.NaN)], double.NaN);
        Assert.Equal(3, summary.Seeds);
        Assert.Equal(1, summary.Diverged);
        Assert.Equal(0.15, summary.GenGap, 12);
        Assert.Equal(0.15, summary.TrainLoss, 12);
        Assert.True(double.IsFinite(summary.GenGapCi95));
    }

    [Fact]
    public void The_t_interval_half_width_matches_the_textbook_value()
    {
        // Values 1..5: mean 3, sd √2.5, t_{0.975, 4} = 2.776445.
        Assert.Equal(2.776445 * Math.Sqrt(2.5) / Math.Sqrt(5), CellSummary.HalfWidth([1, 2, 3, 4, 5]), 5);
        Assert.True(double.IsNaN(CellSummary.HalfWidth([1])));
    }

    [Fact]
    public void A_run_past_the_stability_limit_stops_early_and_is_marked_diverged()
    {
        var scenario = Scenarios.Parse(Scenarios.Small.Edit("eta = 0.05", "eta = 3").Edit("tau = [0, 3, 7]", "tau = [7]"));
        var cell = DelaySim.Host.Pipeline.CellPlan.Build(scenario)[0];
        var replicate = Replicate.Prepare(cell.Spec, 3);
        var direct = DirectEngine.Run(replicate, 0);
        Assert.True(direct.Diverged);
        Assert.True(direct.Final.Iteration < cell.Spec.Iterations, "the run should stop at the first exploded checkpoint");
    }

    [Theory]
    [InlineData("constant", 7, 0.05)]
    [InlineData("inverse-tau", 7, 0.05 / 7)]
    [InlineData("inverse-tau-plus-one", 7, 0.05 / 8)]
    [InlineData("inverse-tau", 0, 0.05)]
    public void Schedules_scale_the_cells_step_size(string schedule, int tau, double expected)
    {
        var scenario = Scenarios.Parse(Scenarios.Small
            .Edit("batch = 2 }", $"batch = 2, schedule = {schedule} }}")
            .Edit("tau = [0, 3, 7]", $"tau = [{tau}]"));
        Assert.Equal(expected, DelaySim.Host.Pipeline.CellPlan.Build(scenario)[0].Spec.Eta, 15);
    }

    [Fact]
    public void Decay_halves_the_step_at_decay_steps_and_budgets_convert_to_steps()
    {
        var spec = SpecBuilder.Fixed(0).Build() with { DecaySteps = 100 };
        Assert.Equal(spec.Eta / 2, spec.EtaAt(100), 15);
        // 3 epochs of n = 40 with batch 2: 60 steps; 90 gradients: 90 steps (one gradient per step).
        var epochs = Scenarios.Parse(Scenarios.Small.Edit("iterations = 300", "epochs = 3"));
        Assert.Equal(60, DelaySim.Host.Pipeline.CellPlan.Build(epochs)[0].Spec.Iterations);
        var gradients = Scenarios.Parse(Scenarios.Small.Edit("iterations = 300", "gradients = 90"));
        Assert.Equal(90, DelaySim.Host.Pipeline.CellPlan.Build(gradients)[0].Spec.Iterations);
        Assert.Contains("needs exactly one budget", Assert.Throws<DelaySim.Model.BadInputException>(() =>
            Scenarios.Parse(Scenarios.Small.Edit("iterations = 300", "iterations = 300, epochs = 2"))).Message);
    }
}

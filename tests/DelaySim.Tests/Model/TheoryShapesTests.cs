using DelaySim.Model.Engine;
using DelaySim.Model.Problems;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>The theory overlays on gaps built from the shapes themselves, so every constant is known exactly.</summary>
public class TheoryShapesTests
{
    const double Exact = 1e-12;

    static readonly CellSpec Spec = DelaySim.Host.Pipeline.CellPlan.Build(Scenarios.Parse(Scenarios.Small))[0].Spec;

    static TheoryShapes.Input Cell(int tau, int n, long iterations, double gap, double lambdaMax = double.NaN, CellSpec? spec = null, int diverged = 0) =>
        new(new CellSummary($"tau{tau}-n{n}", "fixed", tau, n, 0.05, iterations, 2, 0, gap, gap, 0, 0, Math.Abs(gap), double.NaN,
            0, 0, 0, null, tau, lambdaMax, Curvature.StableStepTimesCurvature(tau), diverged), spec ?? Spec);

    [Fact]
    public void The_papers_shape_recovers_its_constant_and_skips_tau_zero()
    {
        var cells = new[] { 0, 1, 4, 16 }.Select(t => Cell(t, 64, 1000, t == 0 ? 0.5 : 3.0 * (1000 - t) / (64.0 * t))).ToArray();
        var fit = TheoryShapes.Paper(cells)!;
        Assert.Equal(3.0, fit.Constant, Exact);
        Assert.True(double.IsNaN(fit.Value[0]));
        Assert.Equal(cells[2].Summary.GenGap, fit.Value[2], Exact);
    }

    [Fact]
    public void Hardt_sums_the_step_sizes_of_the_schedule()
    {
        // Small scenario: η = 0.05 constant, so Σ_t η_t = 0.05·T; with η_t = η/(1 + t/100) the sum is the harmonic-like one.
        var decaying = Spec with { DecaySteps = 100 };
        var sum = Enumerable.Range(0, 300).Sum(t => 0.05 / (1 + t / 100.0));
        var cells = new[] { Cell(0, 40, 300, 2 * 0.05 * 300 / 40), Cell(3, 40, 300, 2 * sum / 40, spec: decaying) };
        var fit = TheoryShapes.Hardt(cells)!;
        Assert.Equal(2.0, fit.Constant, 1e-9);
        Assert.Equal(cells[1].Summary.GenGap, fit.Value[1], 1e-9);
    }

    [Fact]
    public void Hardt_sums_the_steps_an_update_rule_really_takes()
    {
        // Fixed τ = 4 with the inverse weight: τ_t = min(t, 4), so the steps are η·1, η·1, η/2, η/3, then η/4 (T = 300).
        var weighted = SpecBuilder.Fixed(4).Build() with { Rule = new DelaySim.Model.Updates.StalenessWeightedUpdate(DelaySim.Model.Updates.StalenessWeight.Inverse, 0, 0) };
        var expected = 0.05 * (1 + 1 + 0.5 + 1.0 / 3 + 296 * 0.25) / 40;
        Assert.Equal(expected, TheoryShapes.HardtStepSum(Cell(4, 40, 300, 0, spec: weighted)), 12);
        // Uniform τ̂ = 2 with bounded staleness max = 0: from step 2 on a third of the gradients (τ = 0) move w.
        var bounded = SpecBuilder.Uniform(2).Build() with { Rule = new DelaySim.Model.Updates.BoundedStalenessUpdate(0) };
        var uniform = 0.05 * (1 + 299.0 / 3) / 40; // t = 0: τ = 0 always; t = 1: τ ∈ {0, 1, 1}; later {0, 1, 2}: 1/3 move w
        Assert.Equal(uniform, TheoryShapes.HardtStepSum(Cell(2, 40, 300, 0, spec: bounded)), 12);
        // Plain SGD keeps the schedule's own sum.
        Assert.Equal(0.05 * 300 / 40, TheoryShapes.HardtStepSum(Cell(4, 40, 300, 0, spec: SpecBuilder.Fixed(4).Build())), 12);
    }

    [Fact]
    public void Regatti_is_anchored_at_the_smallest_positive_delay_and_grows_like_K_to_the_beta_tau()
    {
        const double beta = 0.5;
        var cells = new[] { Cell(0, 64, 1000, 0.2, beta), Cell(1, 64, 1000, -0.01, beta), Cell(2, 64, 1000, 0.1, beta), Cell(4, 64, 1000, 0.1, beta) };
        var overlay = TheoryShapes.Regatti(cells)!;
        Assert.Equal(2, overlay.Anchor); // τ = 1 has a negative gap: a log-scale shape cannot pass through it
        Assert.True(double.IsNaN(overlay.Log10Value[0]));
        Assert.Equal(Math.Log10(0.1), overlay.Log10Value[2], Exact);
        // c = gap / (K^(βτ̂)/(nβτ̂)) at the anchor: log10 c = −1 − (2β·log10 K − log10(64·β·2)).
        Assert.Equal(-1 - (2 * beta * 3 - Math.Log10(64 * beta * 2)), overlay.Log10Constant, Exact);
        // From τ̂ = 2 to 4: log10 of K^(β·2) · (nβ·2)/(nβ·4) = 2β·log10 K − log10 2.
        Assert.Equal(2 * beta * 3 - Math.Log10(2), overlay.Log10Value[3] - overlay.Log10Value[2], 1e-9);
    }

    [Fact]
    public void A_diverged_cell_is_left_out_of_the_fits()
    {
        var cells = new[] { 1, 2, 4 }.Select(t => Cell(t, 64, 1000, 3.0 * (1000 - t) / (64.0 * t))).Append(Cell(8, 64, 1000, 50, diverged: 1)).ToArray();
        var fit = TheoryShapes.Paper(cells)!;
        Assert.Equal(3.0, fit.Constant, Exact);
        Assert.True(double.IsNaN(fit.Value[3]));
    }

    [Fact]
    public void Regatti_stays_finite_where_the_bound_itself_overflows_a_double()
    {
        var cells = new[] { Cell(1, 1000, 1_000_000, 0.01, 4), Cell(512, 1000, 1_000_000, 0.01, 4) };
        var overlay = TheoryShapes.Regatti(cells)!;
        Assert.True(overlay.Log10Value[1] > 10_000, $"log10 = {overlay.Log10Value[1]}");
        Assert.True(double.IsFinite(overlay.Log10Value[1]));
    }

    [Fact]
    public void Regatti_needs_a_curvature_estimate()
    {
        Assert.Null(TheoryShapes.Regatti([Cell(1, 64, 1000, 0.1), Cell(2, 64, 1000, 0.1)]));
    }

    [Fact]
    public void One_over_n_recovers_its_constant_and_its_slope_is_minus_one()
    {
        var cells = new[] { 64, 128, 512 }.Select(n => Cell(0, n, 1000, 7.0 / n)).ToArray();
        Assert.Equal(7.0, TheoryShapes.InverseN(cells)!.Constant, Exact);
        Assert.Equal(-1.0, TheoryShapes.LogLogSlope(cells.Select(c => (double)c.Summary.N).ToArray(), cells.Select(c => c.Summary.GenGap).ToArray()), 1e-9);
        Assert.Null(TheoryShapes.InverseN([Cell(0, 64, 1000, 0.1), Cell(4, 64, 1000, 0.1)]));
        Assert.True(double.IsNaN(TheoryShapes.LogLogSlope([64, 128], [0.1, -0.1])));
    }
}

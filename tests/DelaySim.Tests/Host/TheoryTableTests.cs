using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Engine;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>Which cells the theory overlays compare, and that odd runs (negative gaps) still get their plots.</summary>
public class TheoryTableTests
{
    static readonly CellSpec Spec = CellPlan.Build(Scenarios.Parse(Scenarios.Small))[0].Spec;

    /// <summary>A cell named as a sweep names it: "n=64;dimension=128;fixed-tau0" is the point n, dimension and the delay.</summary>
    static CellOutcome Outcome(string name, int n, double gap, int tau = 0)
    {
        var labels = name.Split(';')[..^1];
        var point = new SweepPoint(labels.Select(l => new SweepValue("data.synthetic." + l.Split('=')[0], l.Split('=')[1], l)).ToArray());
        var checkpoints = new[] { new Checkpoint(0, 1, 1 + gap, double.NaN, 0, 0), new Checkpoint(100, 0.5, 0.5 + gap, double.NaN, 0, 0) };
        var replicate = new ReplicateResult(0, 1, checkpoints, double.NaN, [100], [new double[12]]);
        var summary = new CellSummary(name, "fixed", tau, n, 0.05, 100, 1, 0.5, 0.5 + gap, gap, double.NaN, double.NaN, Math.Abs(gap),
            double.NaN, double.NaN, double.NaN, double.NaN, null, tau, double.NaN, 2, 0);
        return new CellOutcome(new Cell(name, Spec, n) { Point = point, DelayPart = name.Split(';')[^1] }, [replicate], summary, TimeSpan.Zero);
    }

    [Fact]
    public void A_sweep_over_n_alone_forms_one_group_per_delay()
    {
        var outcomes = new[] { 64, 128, 256 }.SelectMany(n => new[] { Outcome($"n={n};fixed-tau0", n, 6.0 / n), Outcome($"n={n};fixed-tau8", n, 6.0 / n, 8) }).ToArray();
        var groups = TheoryTable.NGroups(outcomes);
        Assert.Equal(["fixed-tau0", "fixed-tau8"], groups.Select(g => g.Name));
        Assert.All(groups, g => Assert.Equal(6.0, g.InverseN.Constant, 1e-12));
        Assert.All(groups, g => Assert.Equal(-1.0, g.Exponent, 1e-12));
    }

    [Fact]
    public void Cells_that_also_differ_in_another_swept_key_are_not_an_n_sweep()
    {
        // scenarios/paper/t-sweep.hocon zips n with the dimension: two problems, not one problem at two n.
        var outcomes = new[] { Outcome("n=64;dimension=128;fixed-tau0", 64, 0.2), Outcome("n=512;dimension=32;fixed-tau0", 512, 0.02) };
        Assert.Empty(TheoryTable.NGroups(outcomes));
    }

    [Fact]
    public void Negative_gaps_give_no_log_plot_and_no_crash()
    {
        var outcomes = new[] { 64, 128 }.Select(n => Outcome($"n={n};fixed-tau0", n, -0.01)).ToArray();
        Assert.Single(TheoryTable.NGroups(outcomes));
        var folder = Scenarios.TempFolder();
        DelaySim.Host.Plots.RunPlots.Write(folder, outcomes);
        Assert.False(File.Exists(Path.Combine(folder, "plots", "gap-vs-n.png")));
        Assert.True(File.Exists(Path.Combine(folder, "plots", "gap-vs-iteration.png")));
        Assert.False(File.Exists(Path.Combine(folder, "plots", "gap-vs-tau.png")), "one delay per sweep point: no plot against τ");
    }
}

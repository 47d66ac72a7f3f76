using DelaySim.Host.Running;
using ScottPlot;

namespace DelaySim.Host.Plots;

/// <summary>
/// The plots of a run folder (PNG and SVG in <c>plots/</c>): gap, twin distance and losses against the iteration, one
/// line per cell (mean over replicates); and the final gap and loss-form stability against τ with 95 % intervals,
/// with the paper's (T − τ)/(nτ) shape overlaid, its constant fitted by least squares and stated in the legend.
/// </summary>
public static class RunPlots
{
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<CellOutcome> outcomes)
    {
        Fonts.Default = "DejaVu Sans";
        var plots = Path.Combine(folder, "plots");
        Directory.CreateDirectory(plots);
        var written = new List<string>();
        void Save(Plot plot, string name)
        {
            plot.SavePng(Path.Combine(plots, name + ".png"), 900, 560);
            // Skia's SVG canvas cannot draw dash patterns (it prints "Unsupported path effect" to stdout for each), so
            // the SVG gets solid lines; the PNG keeps the dashes.
            foreach (var scatter in plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>()) scatter.LinePattern = LinePattern.Solid;
            plot.SaveSvg(Path.Combine(plots, name + ".svg"), 900, 560);
            written.Add(Path.Combine(plots, name + ".png"));
        }
        Save(Curves(outcomes, c => c.GenGap, "generalization gap (test − train)"), "gap-vs-iteration");
        Save(Curves(outcomes, c => c.TwinL2, "twin distance ‖w_t − w_t⁽ⁱ⁾‖"), "twin-distance-vs-iteration");
        Save(LossCurves(outcomes), "losses-vs-iteration");
        Save(GapVersusTau(outcomes), "gap-vs-tau");
        return written;
    }

    static Plot Curves(IReadOnlyList<CellOutcome> outcomes, Func<Model.Engine.Checkpoint, double> measure, string label)
    {
        var plot = new Plot();
        foreach (var o in outcomes)
        {
            var (x, y) = MeanCurve(o, measure);
            if (y.All(double.IsNaN)) continue;
            var line = plot.Add.Scatter(x, y);
            line.LegendText = o.Cell.Name;
            line.MarkerSize = 0;
        }
        plot.Title($"{label}, mean over replicates");
        plot.XLabel("server step t");
        plot.YLabel(label);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    static Plot LossCurves(IReadOnlyList<CellOutcome> outcomes)
    {
        var plot = new Plot();
        foreach (var o in outcomes)
        {
            var (x, test) = MeanCurve(o, c => c.TestLoss);
            var (_, train) = MeanCurve(o, c => c.TrainLoss);
            var t = plot.Add.Scatter(x, test);
            t.LegendText = $"{o.Cell.Name} test";
            t.MarkerSize = 0;
            var r = plot.Add.Scatter(x, train);
            r.LegendText = $"{o.Cell.Name} train";
            r.MarkerSize = 0;
            r.Color = t.Color;
            r.LinePattern = LinePattern.Dashed;
        }
        plot.Title("test (solid) and train (dashed) loss, mean over replicates");
        plot.XLabel("server step t");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    static Plot GapVersusTau(IReadOnlyList<CellOutcome> outcomes)
    {
        var plot = new Plot();
        // One series per sweep point (the cell name without its delay part).
        foreach (var group in outcomes.GroupBy(o => o.Cell.Name.Contains(';') ? o.Cell.Name[..o.Cell.Name.LastIndexOf(';')] : ""))
        {
            var cells = group.OrderBy(o => o.Summary.Tau).ToArray();
            var tau = cells.Select(o => (double)o.Summary.Tau).ToArray();
            var gap = cells.Select(o => o.Summary.GenGap).ToArray();
            var prefix = group.Key.Length > 0 ? group.Key + ": " : "";
            var line = plot.Add.Scatter(tau, gap);
            line.LegendText = $"{prefix}gap (test − train) ± 95 %";
            plot.Add.ErrorBar(tau, gap, cells.Select(o => Finite(o.Summary.GenGapCi95)).ToArray()).Color = line.Color;
            var stability = cells.Select(o => o.Summary.StabilityLoss).ToArray();
            if (stability.Any(double.IsFinite))
            {
                var s = plot.Add.Scatter(tau, stability);
                s.LegendText = $"{prefix}loss-form stability ± 95 %";
                s.LinePattern = LinePattern.Dotted;
                plot.Add.ErrorBar(tau, stability, cells.Select(o => Finite(o.Summary.StabilityLossCi95)).ToArray()).Color = s.Color;
            }
            if (HardtShape(cells) is { } hardt)
            {
                var h = plot.Add.Scatter(hardt.Tau, hardt.Value);
                h.LegendText = $"{prefix}Hardt et al.: c·Σ_t η_t / n, fitted c = {hardt.Constant:G3}";
                h.LinePattern = LinePattern.DenselyDashed;
                h.MarkerSize = 0;
            }
            if (TheoryShape(cells) is { } theory)
            {
                var t = plot.Add.Scatter(theory.Tau, theory.Value);
                t.LegendText = $"{prefix}c·(T − τ)/(nτ), fitted c = {theory.Constant:G3}";
                t.LinePattern = LinePattern.Dashed;
                t.MarkerSize = 0;
            }
        }
        plot.Title("final generalization gap against the delay");
        plot.XLabel("τ (fixed) or τ̂ (random / realized maximum)");
        plot.YLabel("gap");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>The paper's convex-quadratic shape (T − τ)/(nτ) over the cells with τ ≥ 1, c fitted by least squares.</summary>
    public static (double[] Tau, double[] Value, double Constant)? TheoryShape(IReadOnlyList<CellOutcome> cells)
    {
        var used = cells.Where(o => o.Summary.Tau >= 1 && double.IsFinite(o.Summary.GenGap) && o.Summary.Iterations > o.Summary.Tau).ToArray();
        if (used.Length < 2) return null;
        double Shape(CellOutcome o) => (o.Summary.Iterations - o.Summary.Tau) / ((double)o.Summary.N * o.Summary.Tau);
        var constant = used.Sum(o => o.Summary.GenGap * Shape(o)) / used.Sum(o => Shape(o) * Shape(o));
        return (used.Select(o => (double)o.Summary.Tau).ToArray(), used.Select(o => constant * Shape(o)).ToArray(), constant);
    }

    /// <summary>
    /// The delay-free SGD stability bound of Hardt, Recht and Singer (2016) for convex smooth losses, 2L²·Σ_t η_t / n,
    /// as a shape c·Σ_t η_t / n over all cells (its constant fitted by least squares; L is not bounded for least squares).
    /// It does not depend on τ except through a τ-dependent step size.
    /// </summary>
    public static (double[] Tau, double[] Value, double Constant)? HardtShape(IReadOnlyList<CellOutcome> cells)
    {
        var used = cells.Where(o => o.Cell.Spec.Time is null && double.IsFinite(o.Summary.GenGap)).ToArray();
        if (used.Length < 2) return null;
        double Shape(CellOutcome o)
        {
            var sum = 0.0;
            for (var t = 0; t < o.Cell.Spec.Iterations; t++) sum += o.Cell.Spec.EtaAt(t);
            return sum / o.Summary.N;
        }
        var shapes = used.Select(Shape).ToArray();
        var constant = used.Select((o, i) => o.Summary.GenGap * shapes[i]).Sum() / shapes.Sum(x => x * x);
        return (used.Select(o => (double)o.Summary.Tau).ToArray(), shapes.Select(x => constant * x).ToArray(), constant);
    }

    static (double[] X, double[] Y) MeanCurve(CellOutcome o, Func<Model.Engine.Checkpoint, double> measure)
    {
        // Replicates that stopped early (diverged) have fewer checkpoints: average over those that reached each step.
        var steps = o.Replicates.SelectMany(r => r.Checkpoints.Select(c => c.Iteration)).Distinct().Order().ToArray();
        var y = steps.Select(t => o.Replicates.SelectMany(r => r.Checkpoints.Where(c => c.Iteration == t)).Select(measure).DefaultIfEmpty(double.NaN).Average()).ToArray();
        return (steps.Select(t => (double)t).ToArray(), y);
    }

    static double Finite(double x) => double.IsFinite(x) ? x : 0;
}

using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using ScottPlot;

namespace DelaySim.Host.Plots;

/// <summary>One plot of a run: its file name (without extension), how to build it, its height in pixels (before its legend).</summary>
internal sealed record Figure(string Name, Func<Plot> Build, int Height = 560);

/// <summary>A figure drawn: the PNG's bytes and the SVG's text, the same wherever it was drawn with the same fonts.</summary>
internal sealed record DrawnFigure(string Name, byte[] Png, string Svg);

/// <summary>
/// The plots of a run folder (PNG and SVG in <c>plots/</c>): gap, twin distance and losses against the iteration, one
/// line per cell (mean over the replicates that did not diverge); the final gap and loss-form stability against τ with 95 % intervals and the
/// theory overlays of <see cref="TheoryTable"/> (constants stated in the legends); and, when cells differ only in n, the
/// final gap against n with c/n fitted; and the final gap and stability against each numeric swept key (<see cref="SweepPlots"/>).
/// </summary>
internal static class RunPlots
{
    const string Font = "DejaVu Sans";

    /// <summary>Draws every figure of the run here and writes its files (PNG and SVG in <c>plots/</c>).</summary>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<CellOutcome> outcomes) =>
        Figures(outcomes).SelectMany(f => Save(folder, Draw(f))).ToArray();

    /// <summary>
    /// The run's figures, in a fixed order, each built only when drawn: the same list on every node that holds the same
    /// cells, so a cluster run can have some of them drawn on another node (<see cref="FigureDrawing"/>).
    /// </summary>
    public static IReadOnlyList<Figure> Figures(IReadOnlyList<CellOutcome> outcomes)
    {
        var figures = new List<Figure>
        {
            new("gap-vs-iteration", () => Curves(outcomes, c => c.GenGap, "generalization gap (test − train)")),
        };
        // Without twins (stability.twins = 0, a live run) there is no twin distance to draw.
        if (outcomes.Any(o => o.Replicates.Any(r => r.Checkpoints.Any(c => double.IsFinite(c.TwinL2)))))
            figures.Add(new("twin-distance-vs-iteration", () => Curves(outcomes, c => c.TwinL2, "twin distance ‖w_t − w_t⁽ⁱ⁾‖")));
        figures.Add(new("losses-vs-iteration", () => LossCurves(outcomes)));
        // Whether these exist is known only once built: the plot built to find out is the one first drawn.
        if (GapVersusTau(outcomes) is { } byTau) figures.Add(new("gap-vs-tau", FirstThen(byTau, () => GapVersusTau(outcomes)!), 760));
        if (GapVersusN(outcomes) is { } byN) figures.Add(new("gap-vs-n", FirstThen(byN, () => GapVersusN(outcomes)!)));
        figures.AddRange(SweepPlots.FinalVersusSwept(outcomes).Select(p => new Figure(p.Name, p.Build)));
        if (StalenessHistogram(outcomes) is { } histogram) figures.Add(new("staleness-histogram", FirstThen(histogram, () => StalenessHistogram(outcomes)!)));
        return figures;
    }

    /// <summary><paramref name="built"/> the first time, a new plot after that: drawing changes a plot (its SVG has no dashes).</summary>
    static Func<Plot> FirstThen(Plot built, Func<Plot> build)
    {
        Plot? first = built;
        return () => Interlocked.Exchange(ref first, null) ?? build();
    }

    /// <summary>The figure drawn as PNG and SVG (once: drawing changes the plot's line patterns for the SVG).</summary>
    public static DrawnFigure Draw(Figure figure)
    {
        var plot = figure.Build();
        var height = figure.Height + LegendRowsBeyondOne(plot, Width);
        using var png = PngFile.Encode(plot, Width, height);
        var pngBytes = png.ToArray();
        SolidLinesForSvg(plot);
        return new DrawnFigure(figure.Name, pngBytes, SvgFile.WithLocalIds(plot.GetSvgXml(Width, height)));
    }

    /// <summary>Writes a drawn figure's two files; returns their paths.</summary>
    public static IReadOnlyList<string> Save(string folder, DrawnFigure figure)
    {
        var plots = Path.Combine(folder, "plots");
        Directory.CreateDirectory(plots);
        string png = Path.Combine(plots, figure.Name + ".png"), svg = Path.Combine(plots, figure.Name + ".svg");
        File.WriteAllBytes(png, figure.Png);
        File.WriteAllText(svg, figure.Svg);
        return [png, svg];
    }

    const int Width = 900;

    static Plot Curves(IReadOnlyList<CellOutcome> outcomes, Func<Model.Engine.Checkpoint, double> measure, string label)
    {
        var plot = NewPlot();
        foreach (var (o, i) in outcomes.Select((o, i) => (o, i)))
        {
            var (x, y) = MeanCurve(o, measure);
            if (y.All(double.IsNaN)) continue;
            var line = plot.Add.Scatter(x, y);
            line.LegendText = o.Cell.Name;
            line.Color = CellColor(i);
            line.MarkerSize = 0;
            Band(plot, o, x, y, measure, line.Color);
        }
        plot.Title($"{label}: mean over non-diverged seeds, 95 % band");
        plot.XLabel("server step t");
        plot.YLabel(label);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    static Plot LossCurves(IReadOnlyList<CellOutcome> outcomes)
    {
        var plot = NewPlot();
        foreach (var (o, i) in outcomes.Select((o, i) => (o, i)))
        {
            var (x, test) = MeanCurve(o, c => c.TestLoss);
            var (_, train) = MeanCurve(o, c => c.TrainLoss);
            if (x.Length == 0) continue;
            var t = plot.Add.Scatter(x, test);
            t.LegendText = o.Cell.Name; // one entry per cell: the title says which line is which loss
            t.Color = CellColor(i);
            t.MarkerSize = 0;
            Band(plot, o, x, test, c => c.TestLoss, t.Color);
            var r = plot.Add.Scatter(x, train);
            r.MarkerSize = 0;
            r.Color = t.Color;
            r.LinePattern = LinePattern.Dashed;
        }
        plot.Title("test (solid, 95 % band) and train (dashed) loss: mean over non-diverged seeds");
        plot.XLabel("server step t");
        plot.YLabel("loss");
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>The final gap against τ per sweep point with two delays or more; null when there is none (a sweep over η alone).</summary>
    static Plot? GapVersusTau(IReadOnlyList<CellOutcome> outcomes)
    {
        var groups = TheoryTable.TauGroups(outcomes).Where(g => g.Cells.Select(o => o.Summary.Tau).Distinct().Count() >= 2).ToArray();
        if (groups.Length == 0) return null;
        var plot = NewPlot();
        var measured = new List<IPlottable>();
        foreach (var group in groups)
        {
            var cells = group.Cells;
            // τ doubles from cell to cell in most sweeps: a log₂(1 + τ) axis spaces them evenly and keeps τ = 0.
            var tau = cells.Select(o => Math.Log2(1 + o.Summary.Tau)).ToArray();
            var gap = cells.Select(o => o.Summary.GenGap).ToArray();
            var prefix = group.Name.Length > 0 ? group.Name + ": " : "";
            var line = plot.Add.Scatter(tau, gap);
            line.LegendText = $"{prefix}gap ± 95 %";
            line.LineWidth = 2;
            var bars = plot.Add.ErrorBar(tau, gap, cells.Select(o => Finite(o.Summary.GenGapCi95)).ToArray());
            bars.Color = line.Color;
            measured.AddRange([bars, line]);
            var stability = cells.Select(o => o.Summary.StabilityLoss).ToArray();
            if (stability.Any(double.IsFinite))
            {
                var s = plot.Add.Scatter(tau, stability);
                s.LegendText = $"{prefix}stability ± 95 %";
                s.LinePattern = LinePattern.Dotted;
                plot.Add.ErrorBar(tau, stability, cells.Select(o => Finite(o.Summary.StabilityLossCi95)).ToArray()).Color = s.Color;
            }
            if (group.Hardt is { } hardt)
                Shape(plot, tau, hardt.Value, $"{prefix}Hardt: c·Σ_t η_t / n, c = {hardt.Constant:G3}", LinePattern.DenselyDashed);
            if (group.Paper is { } paper)
                Shape(plot, tau, paper.Value, $"{prefix}Deng: c·(T − τ)/(nτ), c = {paper.Constant:G3}", LinePattern.Dashed);
            if (group.Regatti is { } regatti)
                RegattiShape(plot, tau, cells.Select(o => o.Summary.Diverged == 0 ? o.Summary.GenGap : double.NaN).ToArray(), regatti, prefix);
        }
        // The measured gap is drawn over the fitted bounds (Hardt's can coincide with it).
        foreach (var p in measured) plot.MoveToFront(p);
        plot.Title("final generalization gap against the delay, with fitted bounds");
        plot.XLabel("τ (fixed) or τ̂ (random / realized maximum), log₂(1 + τ) axis");
        plot.YLabel("gap");
        var taus = groups.SelectMany(g => g.Cells.Select(o => (double)o.Summary.Tau)).Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(taus.Select(t => Math.Log2(1 + t)).ToArray(), taus.Select(Label).ToArray());
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>
    /// The share of updates applied at each staleness, per cell, over every replicate and worker (staleness_histogram.csv
    /// drawn); null when every cell has (nearly) one staleness only (fixed delays), where the τ column says it all.
    /// </summary>
    static Plot? StalenessHistogram(IReadOnlyList<CellOutcome> outcomes)
    {
        var counts = outcomes.Select(o => (o.Cell.Name, Counts: Model.Engine.StalenessCounts.Merge(o.Replicates.Select(r => r.StalenessCounts)))).ToArray();
        // Fixed delays put every update but the first τ (the warm-up) at τ: nothing to draw.
        if (outcomes.All(o => o.Cell.Spec.Time is null && o.Cell.Spec.Staleness is Model.StalenessDomain.FixedStaleness)) return null;
        var plot = NewPlot();
        var shares = new List<double>();
        // Cells whose delays do not depend on what they sweep (η, a rule) have the same histogram: one line for them all.
        foreach (var same in counts.GroupBy(c => string.Join(",", c.Counts)))
        {
            var histogram = same.First().Counts;
            var total = (double)histogram.Sum();
            var used = Enumerable.Range(0, histogram.Length).Where(s => histogram[s] > 0).ToArray();
            if (used.Length == 0) continue;
            var share = used.Select(s => histogram[s] / total).ToArray();
            shares.AddRange(share);
            var line = plot.Add.Scatter(used.Select(s => (double)s).ToArray(), share.Select(Math.Log10).ToArray());
            line.LegendText = same.Count() == 1 ? same.First().Name : $"{same.First().Name} and {same.Count() - 1} more with the same delays";
            line.MarkerSize = 3;
            line.LineWidth = 1;
        }
        if (shares.Count == 0) return null;
        // A log axis shows the tail, which decides stability, as well as the bulk.
        var ticks = OneTwoFive(shares.Min() / 1.5, shares.Max() * 1.5);
        plot.Axes.Left.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(t => t.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title("staleness of the applied updates: share at each τ (log axis), all replicates and workers");
        plot.XLabel("staleness τ_t (server versions between snapshot and update)");
        plot.YLabel("share of updates");
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>
    /// Regatti et al.'s bound grows like K^(βτ̂): drawn up to where it crosses twice the largest measured gap (the crossing
    /// interpolated in log space, where the shape is nearly linear in τ̂), its total growth stated in the legend.
    /// </summary>
    static void RegattiShape(Plot plot, double[] tau, double[] gap, Model.Engine.TheoryShapes.LogOverlay regatti, string prefix)
    {
        var used = Enumerable.Range(0, tau.Length).Where(i => double.IsFinite(regatti.Log10Value[i])).ToArray();
        var ceiling = Math.Log10(2 * gap.Where(double.IsFinite).DefaultIfEmpty(1).Max(Math.Abs));
        var x = new List<double>();
        var y = new List<double>();
        for (var k = 0; k < used.Length; k++)
        {
            var (t, v) = (tau[used[k]], regatti.Log10Value[used[k]]);
            if (v > ceiling)
            {
                if (k > 0)
                {
                    var (t0, v0) = (tau[used[k - 1]], regatti.Log10Value[used[k - 1]]);
                    x.Add(t0 + (t - t0) * (ceiling - v0) / (v - v0));
                    y.Add(Math.Pow(10, ceiling));
                }
                break;
            }
            x.Add(t);
            y.Add(Math.Pow(10, v));
        }
        var growth = regatti.Log10Value[used[^1]] - regatti.Log10Value[regatti.Anchor];
        var text = $"{prefix}Regatti: c·K^(βτ̂)/(nβτ̂), β = {regatti.Beta[regatti.Anchor]:G3}: ×10^{growth:0.#} from τ̂ = {Math.Pow(2, tau[regatti.Anchor]) - 1:G} to {Math.Pow(2, tau[used[^1]]) - 1:G}";
        // A bound that leaves the chart within one delay step would be a vertical spike: then only the legend states it.
        var spike = x.Count <= 2;
        Shape(plot, spike ? [] : x.ToArray(), spike ? [] : y.ToArray(), spike ? text + ", off the chart (not drawn)" : text, LinePattern.Dotted);
    }

    /// <summary>
    /// Final gap against n on log-log axes for cells that differ only in n, with c/n fitted (the strongly convex rate)
    /// and the measured slope in the legend. Cells with a gap ≤ 0 cannot be drawn on a log axis and are left out.
    /// </summary>
    static Plot? GapVersusN(IReadOnlyList<CellOutcome> outcomes)
    {
        // A log axis shows positive gaps only (LIBSVM splits can have negative ones).
        var groups = TheoryTable.NGroups(outcomes).Where(g => g.Cells.Count(o => o.Summary.GenGap > 0) >= 2).ToArray();
        if (groups.Length == 0) return null;
        var plot = NewPlot();
        foreach (var group in groups)
        {
            var cells = group.Cells.Where(o => o.Summary.GenGap > 0).ToArray();
            var n = cells.Select(o => Math.Log10(o.Summary.N)).ToArray();
            var gap = cells.Select(o => Math.Log10(o.Summary.GenGap)).ToArray();
            var line = plot.Add.Scatter(n, gap);
            line.LegendText = $"{group.Name}: gap ± 95 %, slope {group.Exponent:0.00}";
            var up = cells.Select((o, i) => Math.Log10(o.Summary.GenGap + Finite(o.Summary.GenGapCi95)) - gap[i]).ToArray();
            var down = cells.Select((o, i) => gap[i] - Math.Log10(Math.Max(o.Summary.GenGap - Finite(o.Summary.GenGapCi95), o.Summary.GenGap / 100))).ToArray();
            var zeros = new double[n.Length];
            plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(n, gap, zeros, zeros, up, down) { Color = line.Color });
            var fitted = group.Cells.Select((o, i) => (N: Math.Log10(o.Summary.N), Value: group.InverseN.Value[i])).Where(p => p.Value > 0).ToArray();
            Shape(plot, fitted.Select(p => p.N).ToArray(), fitted.Select(p => Math.Log10(p.Value)).ToArray(),
                $"{group.Name}: c/n, fitted c = {group.InverseN.Constant:G3}", LinePattern.Dashed).Color = line.Color;
        }
        var ns = groups.SelectMany(g => g.Cells.Select(o => (double)o.Summary.N)).Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(ns.Select(Math.Log10).ToArray(), ns.Select(Label).ToArray());
        var gaps = groups.SelectMany(g => g.Cells.Select(o => o.Summary.GenGap)).Where(g => g > 0).ToArray();
        var yTicks = OneTwoFive(gaps.Min() / 2, gaps.Max() * 2);
        plot.Axes.Left.SetTicks(yTicks.Select(Math.Log10).ToArray(), yTicks.Select(Label).ToArray());
        plot.Title("final generalization gap against the training-set size (log-log)");
        plot.XLabel("n (training samples)");
        plot.YLabel("gap");
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>The values 1, 2 and 5 × 10^k between <paramref name="low"/> and <paramref name="high"/>: log-axis ticks.</summary>
    static double[] OneTwoFive(double low, double high) =>
        Enumerable.Range((int)Math.Floor(Math.Log10(low)), (int)Math.Ceiling(Math.Log10(high)) - (int)Math.Floor(Math.Log10(low)) + 1)
            .SelectMany(k => new[] { 1.0, 2, 5 }.Select(m => m * Math.Pow(10, k)))
            .Where(v => v >= low && v <= high)
            .ToArray();

    static string Label(double x) => x.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Skia's SVG canvas cannot draw dash patterns (it prints "Unsupported path effect" to stdout for each), so the SVG
    /// gets solid lines; the PNG, drawn first, keeps the dashes.
    /// </summary>
    internal static void SolidLinesForSvg(Plot plot)
    {
        foreach (var scatter in plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>()) scatter.LinePattern = LinePattern.Solid;
    }

    /// <summary>A plot with 20 distinct colours (the default 10 repeat within a sweep of a dozen cells).</summary>
    internal static Plot NewPlot()
    {
        Fonts.Default = Font;
        var plot = new Plot();
        plot.Add.Palette = new ScottPlot.Palettes.Category20();
        return plot;
    }

    static readonly ScottPlot.Palettes.Category20 Twenty = new();

    /// <summary>
    /// The colour of the <paramref name="i"/>-th cell: Category20's ten strong colours first, then their light twins, and
    /// round again after 20. Set by cell, since a band (or a train-loss line) takes a colour from the palette too: the
    /// cells got every other colour, the ten strong ones, which repeated from the eleventh cell on.
    /// </summary>
    internal static Color CellColor(int i) => Twenty.GetColor(i % 20 < 10 ? 2 * (i % 20) : 2 * (i % 20 - 10) + 1);

    /// <summary>
    /// Pixels to add to a plot's height so that its legend below the data fits with all its rows and the data area keeps
    /// its size. ScottPlot sizes a bottom legend's panel as one row on the first render (it wraps the items only while
    /// drawing), so a legend of more rows ran off the bottom of the PNG (4 of 14 cells lost on a 14-cell sweep); once
    /// drawn at the plot's width, the legend keeps its wrapped size for the layout of the PNG and the SVG alike.
    /// </summary>
    internal static int LegendRowsBeyondOne(Plot plot, int width)
    {
        if (!plot.Legend.GetItems().Any()) return 0;
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(1, 1));
        using var paint = Paint.NewDisposablePaint();
        plot.Legend.Render(surface.Canvas, paint, new PixelRect(0, 1_000_000, 10_000, 0), Alignment.UpperCenter);
        var oneRow = plot.Legend.LastRenderSize.Height;
        // Drawn as its panel will draw it: the figure's width less the panel's padding (20 px a side in ScottPlot 5.1).
        plot.Legend.Render(surface.Canvas, paint, new PixelRect(0, width - 40, 10_000, 0), Alignment.UpperCenter);
        return (int)Math.Ceiling(plot.Legend.LastRenderSize.Height - oneRow);
    }

    static ScottPlot.Plottables.Scatter Shape(Plot plot, double[] x, double[] y, string legend, LinePattern pattern)
    {
        var keep = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(y[i])).ToArray();
        var line = plot.Add.Scatter(keep.Select(i => x[i]).ToArray(), keep.Select(i => y[i]).ToArray());
        line.LegendText = legend;
        line.LinePattern = pattern;
        line.MarkerSize = 0;
        return line;
    }

    /// <summary>
    /// The mean curve over the replicates that did not diverge (as in summary.csv); empty when all did. Replicates that
    /// stopped early have fewer checkpoints: the mean at a step is over those that reached it.
    /// </summary>
    static (double[] X, double[] Y) MeanCurve(CellOutcome o, Func<Model.Engine.Checkpoint, double> measure)
    {
        var stable = o.Replicates.Where(r => !r.Diverged).ToArray();
        var steps = stable.SelectMany(r => r.Checkpoints.Select(c => c.Iteration)).Distinct().Order().ToArray();
        var y = steps.Select(t => stable.SelectMany(r => r.Checkpoints.Where(c => c.Iteration == t)).Select(measure).DefaultIfEmpty(double.NaN).Average()).ToArray();
        return (steps.Select(t => (double)t).ToArray(), y);
    }

    /// <summary>The 95 % t-interval over seeds around a mean curve, shaded in the curve's colour (nothing with one seed).</summary>
    static void Band(Plot plot, CellOutcome o, double[] x, double[] mean, Func<Model.Engine.Checkpoint, double> measure, Color color)
    {
        var stable = o.Replicates.Where(r => !r.Diverged).ToArray();
        var half = x.Select(t => Model.Engine.CellSummary.HalfWidth(stable.SelectMany(r => r.Checkpoints.Where(c => c.Iteration == (long)t)).Select(measure).ToArray())).ToArray();
        var keep = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(half[i]) && double.IsFinite(mean[i])).ToArray();
        if (keep.Length < 2) return;
        var band = plot.Add.FillY(keep.Select(i => x[i]).ToArray(), keep.Select(i => mean[i] - half[i]).ToArray(), keep.Select(i => mean[i] + half[i]).ToArray());
        band.FillColor = color.WithAlpha(0.12);
        band.LineColor = Colors.Transparent;
        plot.MoveToBack(band); // every curve stays visible above every band
    }

    static double Finite(double x) => double.IsFinite(x) ? x : 0;
}

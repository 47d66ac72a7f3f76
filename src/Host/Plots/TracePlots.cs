using DelaySim.Host.Commands;
using DelaySim.Model.Delays;
using DelaySim.Model.Fitting;
using ScottPlot;

namespace DelaySim.Host.Plots;

/// <summary><c>delays --against TRACE --out DIR</c>: a model's draws over the trace, pooled over workers, as a histogram and an ACF.</summary>
internal static class TracePlots
{
    const int Bins = 60;
    const int MaxLag = 20;

    public static IReadOnlyList<string> Write(string role, IReadOnlyList<StreamCheck> checks, IReadOnlyDictionary<int, double[]> trace, string folder)
    {
        Fonts.Default = "DejaVu Sans";
        var streams = trace.OrderBy(t => t.Key).Select(t => t.Value).ToArray();
        var samples = TraceComparison.Samples(checks, trace);
        var histogram = Path.Combine(folder, $"{role}-vs-trace-histogram.png");
        var acf = Path.Combine(folder, $"{role}-vs-trace-acf.png");
        Histogram(role, samples.SelectMany(s => s).ToArray(), streams.SelectMany(s => s).ToArray()).SavePngFast(histogram, 800, 500);
        Autocorrelation(role, samples, streams).SavePngFast(acf, 800, 500);
        return [histogram, acf];
    }

    static Plot Histogram(string role, double[] model, double[] measured)
    {
        // Shared bins up to the 99.5th percentile of both (one per integer for steps); shares, not counts, so
        // different sample sizes compare.
        var all = model.Concat(measured).Order().ToArray();
        var steps = all.All(v => v == Math.Floor(v));
        var low = all[0];
        var high = all[(int)(0.995 * (all.Length - 1))];
        if (high <= low) high = low + 1;
        var bins = steps ? (int)(high - low) + 1 : Bins;
        var width = steps ? 1 : (high - low) / Bins;
        if (steps) low -= 0.5;
        double[] Shares(double[] x)
        {
            var counts = new double[bins];
            foreach (var v in x.Where(v => v < low + bins * width)) counts[Math.Min(bins - 1, (int)((v - low) / width))]++;
            return counts.Select(c => c / x.Length).ToArray();
        }
        var centers = Enumerable.Range(0, bins).Select(i => low + (i + 0.5) * width).ToArray();
        var plot = new Plot();
        var bars = plot.Add.Bars(centers, Shares(measured));
        foreach (var bar in bars.Bars) bar.Size = width * 0.95;
        bars.LegendText = $"trace ({measured.Length:N0})";
        var line = plot.Add.Scatter(centers, Shares(model));
        line.LegendText = $"model ({model.Length:N0} draws)";
        line.LineWidth = 2;
        line.MarkerSize = 0;
        plot.Title($"{role} against the trace, pooled over workers (to the 99.5th percentile)");
        plot.XLabel("delay");
        plot.YLabel("share of values");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    static Plot Autocorrelation(string role, IReadOnlyList<double[]> model, IReadOnlyList<double[]> measured)
    {
        var lags = Enumerable.Range(1, MaxLag).Select(l => (double)l).ToArray();
        var plot = new Plot();
        var bars = plot.Add.Bars(lags, ArFit.Acf(measured, MaxLag));
        bars.LegendText = "trace";
        var points = plot.Add.Scatter(lags, ArFit.Acf(model, MaxLag));
        points.LegendText = "model";
        points.LineWidth = 2;
        points.MarkerSize = 7;
        plot.Title($"{role} against the trace: autocorrelation, pooled over workers");
        plot.XLabel("lag (messages)");
        plot.YLabel("autocorrelation");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}

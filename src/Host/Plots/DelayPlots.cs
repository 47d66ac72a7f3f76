using DelaySim.Model.Delays;
using ScottPlot;

namespace DelaySim.Host.Plots;

/// <summary>Histogram (with the declared distribution's expected counts) and autocorrelation plot of one delay stream.</summary>
internal static class DelayPlots
{
    const int Bins = 60;
    const int MaxLag = 20;

    public static IReadOnlyList<string> Write(StreamCheck check, string folder)
    {
        Fonts.Default = "DejaVu Sans";
        var name = check.Stream.Replace('/', '-');
        var histogram = Path.Combine(folder, $"{name}-histogram.png");
        var acf = Path.Combine(folder, $"{name}-acf.png");
        Histogram(check).SavePngFast(histogram, 800, 500);
        Autocorrelation(check).SavePngFast(acf, 800, 500);
        return [histogram, acf];
    }

    static Plot Histogram(StreamCheck check)
    {
        // Bins up to the 99.5th percentile, so a heavy tail does not squash the body into one bar.
        var sorted = check.Sample.Order().ToArray();
        var low = sorted[0];
        var high = sorted[(int)(0.995 * (sorted.Length - 1))];
        if (high <= low) high = low + 1;
        var width = (high - low) / Bins;
        var counts = new double[Bins];
        foreach (var x in sorted.Where(x => x <= high)) counts[Math.Min(Bins - 1, (int)((x - low) / width))]++;
        var centers = Enumerable.Range(0, Bins).Select(i => low + (i + 0.5) * width).ToArray();

        var plot = new Plot();
        var bars = plot.Add.Bars(centers, counts);
        foreach (var bar in bars.Bars) bar.Size = width * 0.95;
        bars.LegendText = "realized";
        if (check.Declared.Cdf is { } cdf)
        {
            var expected = Enumerable.Range(0, Bins).Select(i => sorted.Length * (cdf(low + (i + 1) * width) - cdf(low + i * width))).ToArray();
            var line = plot.Add.Scatter(centers, expected);
            line.LegendText = "declared";
            line.LineWidth = 2;
            line.MarkerSize = 0;
        }
        plot.Title($"{check.Stream}: {sorted.Length:N0} delays (to the 99.5th percentile)");
        plot.XLabel("delay");
        plot.YLabel("count");
        plot.ShowLegend();
        return plot;
    }

    static Plot Autocorrelation(StreamCheck check)
    {
        var lags = Enumerable.Range(1, MaxLag).Select(l => (double)l).ToArray();
        var realized = lags.Select(l => DelayCheck.Autocorrelation(check.Sample, (int)l)).ToArray();
        var plot = new Plot();
        var bars = plot.Add.Bars(lags, realized);
        bars.LegendText = "realized";
        var declared = check.Declared.Acf.Select((a, i) => (Lag: i + 1.0, Value: a)).Where(p => double.IsFinite(p.Value)).ToArray();
        if (declared.Length > 0)
        {
            var points = plot.Add.ScatterPoints(declared.Select(p => p.Lag).ToArray(), declared.Select(p => p.Value).ToArray());
            points.LegendText = "declared";
            points.MarkerSize = 10;
        }
        plot.Title($"{check.Stream}: autocorrelation");
        plot.XLabel("lag (messages)");
        plot.YLabel("autocorrelation");
        plot.ShowLegend();
        return plot;
    }
}

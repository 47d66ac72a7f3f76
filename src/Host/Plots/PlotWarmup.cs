using ScottPlot;

namespace DelaySim.Host.Plots;

/// <summary>
/// The plots' first-use cost, paid on a spare core while the cells run: Skia's native library, the font, and ScottPlot's
/// render path compiled for the kinds of plottable a run draws (lines, dashed lines, bands, error bars, legend, PNG and SVG).
/// It was about 60 ms of the end of every run, after the last cell. It draws a small plot that nobody sees; on one core
/// it would only move that work, so it does nothing there.
/// </summary>
internal static class PlotWarmup
{
    public static Task Start() => Environment.ProcessorCount > 1 ? Task.Run(Draw) : Task.CompletedTask;

    /// <summary>Never throws: if drawing fails here, the run's own plots fail the same way and say why.</summary>
    internal static void Draw()
    {
        try
        {
            DrawSmallPlot();
        }
        catch (Exception e)
        {
            Serilog.Log.Debug("Plot warm-up failed: {Error}", e.Message);
        }
    }

    static void DrawSmallPlot()
    {
        var plot = RunPlots.NewPlot();
        double[] x = [0, 1, 2];
        double[] y = [1, 2, 1.5];
        var line = plot.Add.Scatter(x, y);
        line.LegendText = "warm-up";
        line.MarkerSize = 0;
        plot.Add.FillY(x, [0.5, 1.5, 1], [1.5, 2.5, 2]).FillColor = line.Color.WithAlpha(0.2);
        plot.Add.ErrorBar(x, y, [0.1, 0.1, 0.1]).Color = line.Color;
        plot.Add.Scatter(x, [2, 1, 0.5]).LinePattern = LinePattern.Dashed;
        plot.Title("warm-up");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(Edge.Bottom);
        using var png = PngFile.Encode(plot, 160, 120);
        RunPlots.SolidLinesForSvg(plot);
        plot.GetSvgXml(160, 120);
    }
}

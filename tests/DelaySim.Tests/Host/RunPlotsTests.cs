using DelaySim.Host.Plots;
using ScottPlot;

namespace DelaySim.Tests.Host;

[Collection("cli")]
public class RunPlotsTests
{
    static Plot WithLines(int lines)
    {
        var plot = RunPlots.NewPlot();
        for (var i = 0; i < lines; i++)
            plot.Add.Scatter(new double[] { 0, 1 }, new double[] { i, i + 1 }).LegendText = $"schedule=inverse-tau-plus-one;fixed-tau{i}";
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    static double DataHeight(Plot plot, int height)
    {
        using var png = PngFile.Encode(plot, 900, height);
        return plot.RenderManager.LastRender.DataRect.Height;
    }

    [Fact]
    public void A_legend_of_many_rows_makes_the_plot_taller_by_its_extra_rows_and_the_data_area_keeps_its_size()
    {
        var single = WithLines(1);
        Assert.Equal(0, RunPlots.LegendRowsBeyondOne(single, 900));
        var reference = DataHeight(single, 560);

        var many = WithLines(14);   // two columns of these names: 7 rows, 6 more than one
        var extra = RunPlots.LegendRowsBeyondOne(many, 900);
        Assert.InRange(extra, 40, 200);
        Assert.Equal(reference, DataHeight(many, 560 + extra), 0.5);
        many.GetSvgXml(900, 560 + extra);   // the SVG, drawn after the PNG, too (Skia's SVG canvas measures text a pixel or two apart)
        Assert.Equal(reference, many.RenderManager.LastRender.DataRect.Height, 3.0);
    }

    [Fact]
    public void Twenty_cells_get_twenty_different_colours_strong_ones_first()
    {
        var colours = Enumerable.Range(0, 20).Select(RunPlots.CellColor).ToArray();
        Assert.Equal(20, colours.Distinct().Count());
        var palette = new ScottPlot.Palettes.Category20();
        Assert.Equal(palette.GetColor(0), colours[0]);
        Assert.Equal(palette.GetColor(2), colours[1]);     // the next strong colour, not the first one's light twin
        Assert.Equal(palette.GetColor(1), colours[10]);
        Assert.Equal(colours[0], RunPlots.CellColor(20));
    }
}

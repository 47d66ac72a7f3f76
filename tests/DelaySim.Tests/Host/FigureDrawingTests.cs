using System.Diagnostics;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Plots;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// Figures drawn partly elsewhere (another node of a cluster run): whatever the other side does (answers, fails, never
/// answers, answers with another figure), the plots folder holds every figure, and the same files as drawn here.
/// </summary>
[Collection("cli")]
public class FigureDrawingTests
{
    static readonly Lazy<Task<IReadOnlyList<CellOutcome>>> Small = new(async () => (await SmallRun.RunAsync()).Outcomes);

    static void AssertSameFiles(string expected, string actual)
    {
        var files = Directory.GetFiles(Path.Combine(expected, "plots")).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(files, Directory.GetFiles(Path.Combine(actual, "plots")).Select(Path.GetFileName).Order().ToArray());
        foreach (var file in files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(expected, "plots", file!)), File.ReadAllBytes(Path.Combine(actual, "plots", file!)));
    }

    [Fact]
    public async Task The_later_half_comes_from_elsewhere_and_is_written_as_it_came()
    {
        var outcomes = await Small.Value;
        var figures = RunPlots.Figures(outcomes);
        Assert.True(figures.Count >= 3, $"{figures.Count} figures");
        Assert.Equal([1, 2], FigureDrawing.Elsewhere(3));
        Assert.Equal([2, 3], FigureDrawing.Elsewhere(4));
        var folder = Scenarios.TempFolder();
        // The other side's figures are marked, to see that they, not figures drawn here, were written.
        var elsewhere = FigureDrawing.Elsewhere(figures.Count).ToDictionary(i => i, i => RunPlots.Draw(figures[i]) with { Svg = "<svg>elsewhere</svg>" });
        var written = await FigureDrawing.WriteAsync(folder, outcomes, Task.FromResult<IReadOnlyDictionary<int, DrawnFigure>>(elsewhere));

        Assert.Equal(2 * figures.Count, written.Count);
        for (var i = 0; i < figures.Count; i++)
        {
            var svg = File.ReadAllText(Path.Combine(folder, "plots", figures[i].Name + ".svg"));
            Assert.Equal(i >= figures.Count / 2, svg == "<svg>elsewhere</svg>");
        }
    }

    [Fact]
    public async Task A_figure_drawn_twice_is_the_same_bytes_though_drawing_changes_a_plot()
    {
        var figures = RunPlots.Figures(await Small.Value);
        Assert.Contains(figures, f => f.Name == "gap-vs-tau");   // built once to know it exists, then drawn
        foreach (var figure in figures)
        {
            var (first, second) = (RunPlots.Draw(figure), RunPlots.Draw(figure));
            Assert.Equal(first.Png, second.Png);
            Assert.Equal(first.Svg, second.Svg);
        }
    }

    [Fact]
    public async Task Figures_that_fail_elsewhere_come_back_late_or_under_another_name_are_drawn_here()
    {
        var outcomes = await Small.Value;
        var reference = Scenarios.TempFolder();
        RunPlots.Write(reference, outcomes);

        var failed = Scenarios.TempFolder();
        await FigureDrawing.WriteAsync(failed, outcomes, Task.FromException<IReadOnlyDictionary<int, DrawnFigure>>(new InvalidOperationException("node gone")));
        AssertSameFiles(reference, failed);

        var late = Scenarios.TempFolder();
        var never = new TaskCompletionSource<IReadOnlyDictionary<int, DrawnFigure>>();
        var watch = Stopwatch.StartNew();
        await FigureDrawing.WriteAsync(late, outcomes, never.Task);
        Assert.True(watch.Elapsed >= FigureDrawing.MinimumWait, $"gave up after {watch.Elapsed}");
        AssertSameFiles(reference, late);

        var renamed = Scenarios.TempFolder();
        var figures = RunPlots.Figures(outcomes);
        var wrong = FigureDrawing.Elsewhere(figures.Count).ToDictionary(i => i, _ => new DrawnFigure("another-run", [1, 2, 3], "<svg/>"));
        await FigureDrawing.WriteAsync(renamed, outcomes, Task.FromResult<IReadOnlyDictionary<int, DrawnFigure>>(wrong));
        AssertSameFiles(reference, renamed);
        Assert.False(File.Exists(Path.Combine(renamed, "plots", "another-run.png")));

        var none = Scenarios.TempFolder();
        await FigureDrawing.WriteAsync(none, outcomes, null);   // nowhere else: all drawn here
        AssertSameFiles(reference, none);
    }
}

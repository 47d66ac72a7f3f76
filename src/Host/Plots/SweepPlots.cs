using System.Globalization;
using DelaySim.Host.Pipeline;
using ScottPlot;

namespace DelaySim.Host.Plots;

/// <summary>
/// The answer to "how does the result change with the key I swept": for each sweep dimension of numbers (one key, at
/// least three values), the final gap and the loss-form stability against that value with 95 % intervals, one line
/// per setting of everything else (the other swept keys and the delay), as <c>plots/final-vs-KEY.png</c> — when there
/// are at most <see cref="MaxLines"/> such settings (more lines are unreadable; contrasts.csv has them all).
/// </summary>
internal static class SweepPlots
{
    public const int MaxLines = 6;

    public static IEnumerable<(string Name, Func<Plot> Build)> FinalVersusSwept(IReadOnlyList<CellOutcome> outcomes)
    {
        var paths = outcomes.SelectMany(o => o.Cell.Point.Values.Select(v => v.Path)).Distinct().ToArray();
        foreach (var path in paths)
        {
            var values = outcomes.Select(o => o.Cell.Point.Values.First(v => v.Path == path).Value).Distinct().ToArray();
            var numbers = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : double.NaN).ToArray();
            if (numbers.Length < 3 || numbers.Any(double.IsNaN)) continue;
            var key = path[(path.LastIndexOf('.') + 1)..];
            var lines = outcomes.Select(o => Group(o, path)).Distinct().Count();
            if (lines <= MaxLines) yield return ($"final-vs-{key}", () => Plot(outcomes, path, key));
        }
    }

    static Plot Plot(IReadOnlyList<CellOutcome> outcomes, string path, string key)
    {
        var plot = new Plot();
        var groups = outcomes.GroupBy(o => Group(o, path));
        foreach (var group in groups)
        {
            // Cells where every replicate diverged have no final values.
            var cells = group.Where(o => double.IsFinite(o.Summary.GenGap)).OrderBy(o => X(o, path)).ToArray();
            if (cells.Length == 0) continue;
            var x = cells.Select(o => X(o, path)).ToArray();
            var gap = cells.Select(o => o.Summary.GenGap).ToArray();
            var line = plot.Add.Scatter(x, gap);
            line.LegendText = group.Key.Length == 0 ? "gap" : $"gap: {group.Key}";
            plot.Add.ErrorBar(x, gap, cells.Select(o => Finite(o.Summary.GenGapCi95)).ToArray()).Color = line.Color;
            var stability = cells.Select(o => o.Summary.StabilityLoss).ToArray();
            if (!stability.Any(double.IsFinite)) continue;
            var s = plot.Add.Scatter(x, stability);
            s.LegendText = group.Key.Length == 0 ? "stability loss" : $"stability loss: {group.Key}";
            s.Color = line.Color;
            s.LinePattern = LinePattern.Dashed;
            s.MarkerShape = MarkerShape.OpenCircle;
            plot.Add.ErrorBar(x, stability, cells.Select(o => Finite(o.Summary.StabilityLossCi95)).ToArray()).Color = line.Color;
        }
        plot.Title($"final gap (solid) and stability loss (dashed) against {key}, ± 95 % over seeds");
        plot.XLabel(path);
        plot.YLabel("gap, stability loss");
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>Everything about a cell but the value of <paramref name="path"/>: the other swept keys and the delay.</summary>
    static string Group(CellOutcome o, string path) =>
        string.Join(";", o.Cell.Point.LabelsWithout(p => p == path).Concat(Cell.Unnamed.Contains(o.Cell.DelayPart) ? [] : [o.Cell.DelayPart]));

    static double X(CellOutcome o, string path) =>
        double.Parse(o.Cell.Point.Values.First(v => v.Path == path).Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    static double Finite(double x) => double.IsFinite(x) ? x : 0;
}

using System.Globalization;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using Spectre.Console;

namespace DelaySim.Host.Output;

/// <summary>The console table: one row per cell, train loss beside the gap so a reader sees whether delay helps generalization or only slows training.</summary>
internal static class ResultsTable
{
    public static void Print(Scenario scenario, IReadOnlyList<CellOutcome> outcomes)
    {
        // Written to a file or a pipe, the table is as wide as its content needs (up to 240 columns) rather than wrapped.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 240);
        var o0 = scenario.Optimizer;
        var budget = o0.Iterations is { } t ? $"T = {t}" : o0.Epochs is { } e ? $"{e} epochs" : $"{o0.Gradients} gradients";
        var etaSwept = outcomes.Select(o => o.Summary.Eta).Distinct().Count() > 1 && scenario.Sweep.Any(d => d.Paths.Any(p => p.StartsWith("optimizer.", StringComparison.Ordinal)));
        var eta = etaSwept ? "η swept (see its column)" : $"η = {F(o0.Eta)} ({StrictConfig.KebabName(o0.Schedule)})";
        var table = new Table().Title($"{scenario.Name}: {scenario.Seeds} seeds, {eta}, {budget}; ± = 95 % interval over seeds");
        // Cell names are what a reader looks up: never wrapped (the number columns narrow first).
        table.AddColumn(new TableColumn("cell").RightAligned().NoWrap());
        foreach (var column in new[] { "τ̂", "η", "train loss", "test loss", "gap", "twin ‖w−w′‖", "stability loss", "agree", "diverged" })
            table.AddColumn(column is "gap" or "stability loss" ? new TableColumn(column).RightAligned().NoWrap() : new TableColumn(column).RightAligned());
        foreach (var o in outcomes)
        {
            var s = o.Summary;
            table.AddRow(Markup.Escape(s.Cell), s.Tau.ToString(CultureInfo.InvariantCulture), F(s.Eta), F(s.TrainLoss), F(s.TestLoss), $"{F(s.GenGap)} ± {F(s.GenGapCi95)}",
                F(s.StabilityL2), $"{F(s.StabilityLoss)} ± {F(s.StabilityLossCi95)}", s.EstimatorsAgree switch { true => "yes", false => "no", null => "–" }, s.Diverged.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
    }

    /// <summary>Four decimals, or four significant digits below 0.001, so small stability values stay readable.</summary>
    static string F(double x) => double.IsNaN(x) ? "–"
        : x != 0 && Math.Abs(x) < 0.001 ? x.ToString("0.###e+0", CultureInfo.InvariantCulture)
        : x.ToString("0.0000", CultureInfo.InvariantCulture);
}

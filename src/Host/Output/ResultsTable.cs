using System.Globalization;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using Spectre.Console;
using static DelaySim.Host.Output.NumberText;

namespace DelaySim.Host.Output;

/// <summary>
/// The console tables: one row per cell, train loss beside the gap so a reader sees whether delay helps generalization
/// or only slows training; then the paired contrasts of a sweep. A sweep's cells are shown by their swept values, one
/// column per key, and the title states only what every cell shares.
/// </summary>
internal static class ResultsTable
{
    /// <summary>The terminal width for a table: written to a file or a pipe, as wide as its content needs (up to 240 columns) rather than wrapped.</summary>
    public static int Width => Console.IsOutputRedirected ? Math.Max(AnsiConsole.Profile.Width, 240) : AnsiConsole.Profile.Width;

    /// <param name="console">Where to print (default: this process's terminal, at <see cref="Width"/>).</param>
    public static void Print(Scenario scenario, IReadOnlyList<CellOutcome> outcomes, IAnsiConsole? console = null)
    {
        if (console is null) AnsiConsole.Profile.Width = Width;
        var table = new Table().Title($"{scenario.Name}: {Shared(scenario, outcomes)}; ± = 95 % interval over seeds");
        var swept = scenario.Format >= 2 ? scenario.Sweep.SelectMany(d => d.Paths).ToArray() : [];
        var delayColumn = swept.Length == 0 || outcomes.Any(o => !Cell.Unnamed.Contains(o.Cell.DelayPart));
        // Names and values are what a reader looks up: never wrapped (the number columns narrow first).
        foreach (var path in swept) table.AddColumn(new TableColumn(Markup.Escape(ScenarioReader.ShortestSuffix(path, scenario.Sweep))).NoWrap());
        if (delayColumn) table.AddColumn(new TableColumn(swept.Length == 0 ? "cell" : "delay").RightAligned().NoWrap());
        // A swept constant η is its own column already.
        var etaColumn = !(swept.Contains("optimizer.eta") && Points(scenario).All(p => p.Optimizer.Schedule == EtaSchedule.Constant));
        foreach (var column in new[] { "τ̂", "η", "train loss", "test loss", "gap", "twin ‖w−w′‖", "stability loss", "agree", "diverged" }.Where(c => etaColumn || c != "η"))
            table.AddColumn(column is "gap" or "stability loss" ? new TableColumn(column).RightAligned().NoWrap() : new TableColumn(column).RightAligned());
        foreach (var o in outcomes)
        {
            var s = o.Summary;
            var values = swept.Select(o.Cell.Point.ValueOf);
            if (delayColumn) values = values.Append(swept.Length == 0 ? s.Cell : o.Cell.DelayPart);
            table.AddRow([.. values.Select(Markup.Escape), s.Tau.ToString(CultureInfo.InvariantCulture), .. etaColumn ? [s.Eta.ToString("G4", CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                Significant(s.TrainLoss), Significant(s.TestLoss), PlusMinus(s.GenGap, s.GenGapCi95), Significant(s.StabilityL2),
                PlusMinus(s.StabilityLoss, s.StabilityLossCi95), s.EstimatorsAgree switch { true => "yes", false => "no", null => "–" },
                s.Diverged.ToString(CultureInfo.InvariantCulture)]);
        }
        (console ?? AnsiConsole.Console).Write(table);
    }

    /// <summary>Seeds, η and budget where every cell has the same; a varying one is left to its column or to summary.csv.</summary>
    static string Shared(Scenario scenario, IReadOnlyList<CellOutcome> outcomes)
    {
        var points = Points(scenario);
        var parts = new List<string>();
        if (points.Select(p => p.Seeds).Distinct().Count() == 1) parts.Add($"{scenario.Seeds} seeds");
        var etas = outcomes.Select(o => o.Summary.Eta).Distinct().Count();
        var schedules = points.Select(p => p.Optimizer.Schedule).Distinct().ToArray();
        if (etas == 1 && schedules.Length == 1) parts.Add($"η = {outcomes[0].Summary.Eta.ToString("G4", CultureInfo.InvariantCulture)} ({StrictConfig.KebabName(schedules[0])})");
        else if (schedules.Length == 1) parts.Add($"η by cell ({StrictConfig.KebabName(schedules[0])})");
        var budgets = points.Select(p => Budget(p.Optimizer)).Distinct().ToArray();
        if (budgets.Length == 1) parts.Add(budgets[0]);
        return parts.Count == 0 ? "cells differ in seeds, η and budget (see summary.csv)" : string.Join(", ", parts);
    }

    /// <summary>The resolved scenario of every sweep point (the scenario itself without a sweep).</summary>
    static Scenario[] Points(Scenario scenario) => scenario.Variants.Count == 0 ? [scenario] : scenario.Variants.Select(v => v.Scenario).ToArray();

    static string Budget(OptimizerSection o) => o.Iterations is { } t ? $"T = {t}" : o.Epochs is { } e ? $"{e} epochs" : $"{o.Gradients} gradients";

    /// <summary>What the contrasts table shows of each pair, in this order.</summary>
    static readonly (string Metric, string Column)[] Shown = [("gen_gap", "Δ gap"), ("test_loss", "Δ test loss"), ("stability_loss", "Δ stability loss")];

    /// <summary>
    /// The paired contrasts: per swept dimension, each cell minus its baseline at the same setting of the rest, with the
    /// 95 % interval of the paired difference; '*' marks an interval that excludes zero.
    /// </summary>
    public static void PrintContrasts(Scenario scenario, IReadOnlyList<Contrast> contrasts, IAnsiConsole? console = null)
    {
        if (contrasts.Count == 0) return;
        var table = new Table().Title("paired contrasts over common seeds: Δ = cell − baseline, ± 95 % interval, * = it excludes 0");
        // "at" names the setting of the other dimensions; a run with one dimension has none.
        var at = contrasts.Any(c => c.At.Length > 0);
        foreach (var column in at ? ["dimension", "at", "cell − baseline"] : new[] { "dimension", "cell − baseline" }) table.AddColumn(new TableColumn(column).NoWrap());
        foreach (var (_, column) in Shown) table.AddColumn(new TableColumn(column).RightAligned().NoWrap());
        table.AddColumn(new TableColumn("pairs").RightAligned());
        foreach (var pair in contrasts.GroupBy(c => (c.Dimension, c.Cell, c.Baseline)))
        {
            var byMetric = pair.ToDictionary(c => c.Metric);
            var first = pair.First();
            var dimension = first.Dimension == "delay" ? "delay" : string.Join("+", first.Dimension.Split('+').Select(p => ScenarioReader.ShortestSuffix(p, scenario.Sweep)));
            string[] names = at ? [dimension, first.At.Length == 0 ? "–" : first.At, $"{first.Value} − {first.BaselineValue}"] : [dimension, $"{first.Value} − {first.BaselineValue}"];
            table.AddRow([.. names.Select(Markup.Escape),
                .. Shown.Select(s => Difference(byMetric[s.Metric])), byMetric["gen_gap"].N.ToString(CultureInfo.InvariantCulture)]);
        }
        (console ?? AnsiConsole.Console).Write(table);
    }

    static string Difference(Contrast c) => PlusMinus(c.Diff, c.Ci95) + (Math.Abs(c.Diff) > c.Ci95 ? " *" : "");
}

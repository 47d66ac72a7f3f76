using System.Globalization;
using DelaySim.Host.Running;
using DelaySim.Host.Scenarios;
using Spectre.Console;

namespace DelaySim.Host.Output;

/// <summary>The console table: one row per cell, train loss beside the gap so a reader sees whether delay helps generalization or only slows training.</summary>
public static class ResultsTable
{
    public static void Print(Scenario scenario, IReadOnlyList<CellOutcome> outcomes)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 132);
        var table = new Table().Title($"{scenario.Name}: {scenario.Seeds} seeds, η = {F(scenario.Optimizer.Eta)}, T = {scenario.Optimizer.Iterations}");
        foreach (var column in new[] { "delay", "τ̂", "train loss", "test loss", "gap ± sd", "twin ‖w−w′‖", "stability loss", "diverged" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var o in outcomes)
        {
            var s = o.Summary;
            table.AddRow(s.Delay, s.Tau.ToString(CultureInfo.InvariantCulture), F(s.TrainLoss), F(s.TestLoss), $"{F(s.GenGap)} ± {F(s.GenGapSd)}",
                F(s.StabilityL2), F(s.StabilityLoss), s.Diverged.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
    }

    static string F(double x) => double.IsNaN(x) ? "–" : x.ToString("0.0000", CultureInfo.InvariantCulture);
}

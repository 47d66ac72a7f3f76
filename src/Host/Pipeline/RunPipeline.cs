using System.Diagnostics;
using DelaySim.Host.Output;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Problems;
using Serilog;

namespace DelaySim.Host.Pipeline;

/// <summary>What a finished run produced, in plan order.</summary>
internal sealed record RunResult(string Folder, IReadOnlyList<CellOutcome> Cells)
{
    /// <summary>Replicates that diverged, over every cell.</summary>
    public int Diverged => Cells.Sum(c => c.Summary.Diverged);
}

/// <summary>
/// The path of every run, whoever asked for it (<c>run</c>, <c>run --cluster</c>, <c>verify</c>): plan the cells, prepare
/// the folder, execute them, summarise each cell, write the results files, the plots and the report, print the table.
/// Only the executor differs between a local and a cluster run, so their folders are byte-identical.
/// </summary>
internal static class RunPipeline
{
    /// <param name="printTable">Print the results table (verify prints its own comparison instead).</param>
    public static async Task<RunResult> RunAsync(Scenario scenario, string folder, ICellExecutor executor, int jobs, bool force = false, long? maxMemory = null, bool printTable = true)
    {
        // A folder started by an earlier version is resumed in its own format, so its finished cells keep their names.
        if (!force && RunFormat.Of(Path.Combine(folder, "manifest.json")) is { } existing && existing != scenario.Format)
        {
            Log.Information("{Folder} is a run folder of format {Format}; resuming it in that format", folder, existing);
            scenario = scenario with { Format = existing };
        }
        var cells = CellPlan.Build(scenario);
        MemoryBudget.Require(scenario, cells, jobs, maxMemory);
        var engine = executor.Engine.ToString().ToLowerInvariant();
        RunFolderGuard.Prepare(folder, scenario, force);
        RunFolder.WriteManifest(folder, scenario, engine);
        RunFolder.WriteSource(folder, scenario.Text, scenario.Origin, scenario.BaseDirectory);
        LogStability(cells, scenario.Seed);
        Log.Information("Running {Scenario}: {Cells} cells × {Seeds} seeds, engine {Engine}, {Jobs} jobs → {Folder}",
            scenario.Name, cells.Count, scenario.Seeds, engine, jobs, folder);

        var watch = Stopwatch.StartNew();
        var outcomes = new CellOutcome?[cells.Count];
        await Progress.Track(cells.Count, report => executor.ExecuteAsync(cells, scenario, new CellStore(folder), run =>
        {
            var outcome = CellOutcome.Of(run);
            outcomes[run.Index] = outcome;
            report(outcome);
        }));
        var result = new RunResult(folder, outcomes.Select((o, i) => o ?? throw new InvalidOperationException($"cell {cells[i].Name} was never reported")).ToArray());

        var contrasts = Contrasts.Of(result.Cells, scenario);
        RunFolder.WriteResults(folder, result.Cells, scenario, contrasts);
        RunFolder.WriteTimings(folder, result.Cells, watch.Elapsed, engine);
        foreach (var plot in Plots.RunPlots.Write(folder, result.Cells)) Log.Debug("Wrote {Plot}", plot);
        Report.Write(folder);
        if (printTable)
        {
            ResultsTable.Print(scenario, result.Cells);
            ResultsTable.PrintContrasts(scenario, contrasts);
        }
        AdviseOnStability(scenario, result.Cells);
        Log.Information("Wrote {Folder} in {Seconds:0.0} s", folder, watch.Elapsed.TotalSeconds);
        if (result.Diverged > 0)
            Log.Error("{Count} replicate(s) diverged (non-finite loss); see the 'diverged' column of summary.csv. " +
                      "Delayed GD on a quadratic is stable only for η·λ_max < 2 sin(π / (2(2τ + 1))): lower optimizer.eta.", result.Diverged);
        return result;
    }

    /// <summary>The interval, as a share of the value, below which a stability estimate is called usable (the default scenario: 25 %).</summary>
    const double UsableRelativeInterval = 0.3;

    /// <summary>
    /// Says when the loss-form stability is too noisy to compare cells (its 95 % interval wider than 30 % of the
    /// value in the median cell), and how many seeds would bring it there: the interval shrinks as 1/√seeds.
    /// </summary>
    static void AdviseOnStability(Scenario scenario, IReadOnlyList<CellOutcome> cells)
    {
        if (StabilityAdvice(scenario.Seeds, cells.Select(c => c.Summary).ToArray()) is { } advice)
            Log.Warning("The stability loss is noisy here: {Advice} ({Seeds} seeds × {Twins} twins; more twins help only within a seed)", advice, scenario.Seeds, scenario.Stability.Twins);
    }

    /// <summary>The warning's text, or null when the median cell's stability interval is usable.</summary>
    internal static string? StabilityAdvice(int seeds, IReadOnlyList<Model.Engine.CellSummary> summaries)
    {
        var relative = summaries.Where(s => double.IsFinite(s.StabilityLoss) && s.StabilityLoss != 0 && double.IsFinite(s.StabilityLossCi95))
            .Select(s => s.StabilityLossCi95 / Math.Abs(s.StabilityLoss)).Order().ToArray();
        if (relative.Length == 0) return null;
        var median = relative[relative.Length / 2];
        if (median <= UsableRelativeInterval) return null;
        var needed = (int)Math.Ceiling(seeds * Math.Pow(median / UsableRelativeInterval, 2));
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"its 95 % interval is {median:P0} of the value in the median cell; about {needed} seeds would bring it to {UsableRelativeInterval:P0} (the interval shrinks as 1/√seeds)");
    }

    /// <summary>Logs η·λ_max of every cell against the delayed-GD stability limit (quadratic problems only).</summary>
    static void LogStability(IReadOnlyList<Cell> cells, ulong masterSeed)
    {
        foreach (var cell in cells)
        {
            var lambda = Curvatures.LargestEigenvalue(cell.Spec, Model.Randomness.Streams.Replicate(masterSeed, 0));
            if (double.IsNaN(lambda)) return;
            var tau = cell.Spec.Time is null ? cell.Spec.Staleness.Max : 0;
            var limit = Curvature.StableStepTimesCurvature(tau);
            if (cell.Spec.Eta * lambda >= limit)
                Log.Warning("Cell {Cell}: η·λ_max = {Product:0.###} ≥ 2 sin(π/(2(2τ+1))) = {Limit:0.###} for τ = {Tau}; delayed GD is unstable there",
                    cell.Name, cell.Spec.Eta * lambda, limit, tau);
            else
                Log.Debug("Cell {Cell}: η·λ_max = {Product:0.####} < {Limit:0.####}", cell.Name, cell.Spec.Eta * lambda, limit);
        }
    }
}

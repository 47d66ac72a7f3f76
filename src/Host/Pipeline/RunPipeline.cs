using System.Diagnostics;
using DelaySim.Host.Output;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Engine;
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
    /// <param name="console">
    /// Where the table goes (default: this process's terminal). A run submitted to a node prints to its client's, and
    /// reports progress as log lines, which reach the client too; the console's writer is flushed after the table.
    /// </param>
    public static async Task<RunResult> RunAsync(Scenario scenario, string folder, ICellExecutor executor, int jobs, bool force = false, long? maxMemory = null,
        bool printTable = true, Spectre.Console.IAnsiConsole? console = null)
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
        executor.Begin();
        var plotsWarm = Plots.PlotWarmup.Start();
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
        }), lines: console is not null);
        var result = new RunResult(folder, outcomes.Select((o, i) => o ?? throw new InvalidOperationException($"cell {cells[i].Name} was never reported")).ToArray());

        // The plots draw on another core (and, in a cluster run, in part on another node) while the results files are
        // written and the table printed (the report reads both files).
        var plots = plotsWarm.ContinueWith(_ => Plots.FigureDrawing.WriteAsync(folder, result.Cells, executor.FiguresDrawnElsewhere), TaskScheduler.Default).Unwrap();
        try
        {
            var contrasts = Contrasts.Of(result.Cells, scenario);
            RunFolder.WriteResults(folder, result.Cells, scenario, contrasts);
            RunFolder.WriteTimings(folder, result.Cells, watch.Elapsed, engine);
            if (printTable)
            {
                ResultsTable.Print(scenario, result.Cells, console);
                ResultsTable.PrintContrasts(scenario, contrasts, console);
                console?.Profile.Out.Writer.Flush();
            }
        }
        catch
        {
            // No plot file is written after the run has failed; the first error is the one to report.
            await plots.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
        foreach (var plot in await plots) Log.Debug("Wrote {Plot}", plot);
        Report.Write(folder);
        AdviseOnStability(scenario, result.Cells);
        Log.Information("Wrote {Folder} in {Seconds:0.0} s", folder, watch.Elapsed.TotalSeconds);
        if (result.Diverged > 0)
            Log.Error("{Count} replicate(s) diverged (non-finite loss); see the 'diverged' column of summary.csv. " +
                      "Delayed GD on a quadratic is stable only for η·λ_max < 2 sin(π / (2(2τ + 1))): lower optimizer.eta.", result.Diverged);
        return result;
    }

    /// <summary>The 95 % half-width, as a share of the estimate, below which a stability estimate is called usable.</summary>
    const double UsableRelativeInterval = 0.2;

    static void AdviseOnStability(Scenario scenario, IReadOnlyList<CellOutcome> cells)
    {
        foreach (var advice in StabilityAdvice(cells)) Log.Warning("{Advice}", advice);
    }

    /// <summary>
    /// Warnings on the loss-form stability: when the median cell's interval is wider than 20 % of its value, what would
    /// narrow it (twins per seed, or seeds; see <see cref="StabilityPrecision"/>), and which cells' intervals are wider
    /// than the value itself. Nothing when every estimate is usable.
    /// </summary>
    internal static IEnumerable<string> StabilityAdvice(IReadOnlyList<CellOutcome> cells)
    {
        // Each cell's own twins: a sweep may change stability.twins.
        var precise = cells.Select(c => (c.Cell.Name, P: StabilityPrecision.Of(c.Replicates, c.Cell.Spec.Twins, UsableRelativeInterval)!)).Where(c => c.P is not null).ToArray();
        if (precise.Length == 0) yield break;
        var (name, p) = precise.OrderBy(c => c.P.Relative).ElementAt(precise.Length / 2);
        var f = System.Globalization.CultureInfo.InvariantCulture;
        if (p.Relative > UsableRelativeInterval)
        {
            var remedy = p.TwinsNeeded is { } k
                ? string.Create(f, $"{k} twins per seed would bring it under {UsableRelativeInterval:P0} ({p.BetweenTwinShare:P0} of its variance is between twins), or about {p.SeedsNeeded} seeds")
                : double.IsNaN(p.BetweenTwinShare)
                    ? string.Create(f, $"about {p.SeedsNeeded} seeds would bring it under {UsableRelativeInterval:P0} (the twins' spread is not kept for cells read back from their files)")
                    : string.Create(f, $"no number of twins would bring it under {UsableRelativeInterval:P0} ({1 - p.BetweenTwinShare:P0} of its variance is between seeds); about {p.SeedsNeeded} seeds would");
            yield return string.Create(f, $"The stability loss is noisy: in the median cell ({name}) its 95 % interval is {p.Relative:P0} of the value ({p.Seeds} seeds × {p.Twins} twins); {remedy}");
        }
        var wide = precise.Where(c => c.P.WiderThanValue).Select(c => c.Name).ToArray();
        if (wide.Length > 0)
            yield return $"In {wide.Length} of {precise.Length} cells the stability loss's 95 % interval is wider than the value, which it cannot tell from 0: {string.Join(", ", wide.Take(3))}{(wide.Length > 3 ? ", …" : "")}";
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

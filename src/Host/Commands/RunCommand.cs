using System.CommandLine;
using System.Diagnostics;
using DelaySim.Host.Output;
using DelaySim.Host.Running;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Problems;
using Serilog;

namespace DelaySim.Host.Commands;

/// <summary><c>delaysim run [FILE] [--out DIR] [--seed N] [--engine actors|direct] [--jobs N]</c>.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("file") { Arity = ArgumentArity.ZeroOrOne, Description = "Scenario file (HOCON). Without it, the built-in default scenario runs." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/<name>-<scenario hash>)." };
        var seed = new Option<ulong?>("--seed") { Description = "Master seed; overrides the scenario's 'seed'." };
        var engine = new Option<EngineKind>("--engine") { DefaultValueFactory = _ => EngineKind.Actors, Description = "actors (the product) or direct (single-threaded oracle); both give the same bytes." };
        var jobs = new Option<int>("--jobs") { DefaultValueFactory = _ => Environment.ProcessorCount, Description = "Replicates run at once." };
        var set = new Option<string[]>("--set") { Description = "Override a scenario key: --set optimizer.eta=0.01 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var cluster = new Option<string?>("--cluster") { Description = "Join the cluster at this seed address (akka.tcp://delaysim@HOST:PORT) as coordinator and run the cells on its runner nodes." };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 0, Description = "With --cluster: this coordinator's TCP port (0 = any free port)." };
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1", Description = "With --cluster: address to bind." };
        var coordinateOnly = new Option<bool>("--coordinate-only") { Description = "With --cluster: hand out cells but run none here (e.g. on a login node, or beside a runner on the same cores)." };
        var command = new Command("run", "Run a scenario and write its run folder.") { file, output, seed, engine, jobs, set, cluster, port, host, coordinateOnly };
        command.Validators.Add(result =>
        {
            if (result.GetValue(coordinateOnly) && result.GetValue(cluster) is null) result.AddError("--coordinate-only needs --cluster ADDRESS");
        });
        command.SetAction((parse, _) => Exit.Guard(() => RunAsync(parse.GetValue(file), parse.GetValue(output), parse.GetValue(seed), parse.GetValue(engine), parse.GetValue(jobs), parse.GetValue(set),
            parse.GetValue(cluster) is { } seedAddress ? new ClusterOptions(seedAddress, parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(coordinateOnly)) : null)));
        return command;
    }

    /// <summary>Where the coordinator joins, for <c>run --cluster</c>, and whether it also runs cells itself.</summary>
    public sealed record ClusterOptions(string Seed, string Host, int Port, bool CoordinateOnly = false);

    public static async Task<int> RunAsync(string? file, string? output, ulong? seed, EngineKind engine, int jobs, string[]? overrides = null, ClusterOptions? cluster = null)
    {
        var scenario = file is null ? ScenarioReader.ReadDefault(overrides) : ScenarioReader.ReadFile(file, overrides);
        if (seed is { } s) scenario = WithSeed(scenario, s);
        return await RunScenarioAsync(scenario, output ?? RunFolder.DefaultFolder(scenario), engine, jobs, cluster);
    }

    static async Task<IReadOnlyList<CellOutcome>> RunLocallyAsync(IReadOnlyList<Cell> cells, Scenario scenario, string folder, EngineKind engine, int jobs)
    {
        var system = engine == EngineKind.Actors ? AkkaSetup.CreateSystem(lanes: Math.Max(1, jobs)) : null;
        try
        {
            var runner = new SweepRunner(engine, jobs, system, new CellStore(folder));
            return await Progress.Track(cells.Count, report => runner.RunAsync(cells, scenario.Seed, scenario.Seeds, report));
        }
        finally
        {
            if (system is not null) await system.Terminate();
        }
    }

    /// <summary>--seed is written into the scenario text too, so scenario.hocon reproduces the run on its own.</summary>
    static Scenario WithSeed(Scenario scenario, ulong seed) =>
        ScenarioReader.Parse(ScenarioReader.WithOverrides(scenario.Text, [$"seed={seed}"]), scenario.Origin, scenario.BaseDirectory);

    public static async Task<int> RunScenarioAsync(Scenario scenario, string folder, EngineKind engine, int jobs, ClusterOptions? cluster = null)
    {
        var cells = CellPlan.Build(scenario);
        RunFolder.Prepare(folder, scenario);
        var engineName = engine.ToString().ToLowerInvariant();
        RunFolder.WriteManifest(folder, scenario, engineName);
        RunFolder.WriteSource(folder, scenario.Text, scenario.Origin, scenario.BaseDirectory);
        LogStability(cells, scenario.Seed);
        Log.Information("Running {Scenario}: {Cells} cells × {Seeds} seeds, engine {Engine}, {Jobs} jobs → {Folder}",
            scenario.Name, cells.Count, scenario.Seeds, engineName, jobs, folder);

        var watch = Stopwatch.StartNew();
        var outcomes = cluster is null
            ? await RunLocallyAsync(cells, scenario, folder, engine, jobs)
            : await Cluster.ClusterRun.RunAsync(cells, scenario, folder, engineName, cluster);
        RunFolder.WriteResults(folder, outcomes);
        RunFolder.WriteTimings(folder, outcomes, watch.Elapsed, engineName);
        foreach (var plot in Plots.RunPlots.Write(folder, outcomes)) Log.Debug("Wrote {Plot}", plot);
        Report.Write(folder);
        ResultsTable.Print(scenario, outcomes);
        Log.Information("Wrote {Folder} in {Seconds:0.0} s", folder, watch.Elapsed.TotalSeconds);

        var diverged = outcomes.Sum(o => o.Summary.Diverged);
        if (diverged == 0) return Exit.Ok;
        Log.Error("{Count} replicate(s) diverged (non-finite loss); see the 'diverged' column of summary.csv. " +
                  "Delayed GD on a quadratic is stable only for η·λ_max < 2 sin(π / (2(2τ + 1))): lower optimizer.eta.", diverged);
        return Exit.Diverged;
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

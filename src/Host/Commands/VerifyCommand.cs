using System.CommandLine;
using System.Text.Json;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using Serilog;
using Spectre.Console;

namespace DelaySim.Host.Commands;

/// <summary>
/// <c>delaysim verify DIR [--sample K] [--engine actors|direct]</c>: reruns a finished run (or K of its cells, spread
/// evenly) from its scenario.hocon and reports, file by file, whether the bytes match. Exit 0 when all match, 4 otherwise.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Files derived from the results that run folders written before they existed lack (theory.csv, contrasts.csv).</summary>
    static readonly string[] DerivedSince = ["theory.csv", Output.Contrasts.FileName];

    const string NotCompared = "not compared";

    public static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "A run folder written by 'delaysim run'." };
        var sample = new Option<int?>("--sample") { Description = "Rerun only this many cells (spread evenly) and compare their cell files." };
        var engine = new Option<EngineKind?>("--engine") { HelpName = "actors|direct", Description = "Engine for the rerun (default: the one in manifest.json)." };
        var command = new Command("verify", "Rerun a finished run and check that every file matches byte for byte.") { folder, sample, engine };
        command.SetAction((parse, _) => Exit.Guard(() => VerifyAsync(parse.GetValue(folder)!, parse.GetValue(sample), parse.GetValue(engine))));
        return command;
    }

    public static async Task<int> VerifyAsync(string folder, int? sample, EngineKind? engineOption)
    {
        var text = Path.Combine(folder, "scenario.hocon");
        var source = Path.Combine(folder, "source.json");
        if (!File.Exists(text) || !File.Exists(source) || !File.Exists(Path.Combine(folder, "manifest.json")))
            throw new BadInputException($"{folder}: not a run folder (scenario.hocon, source.json or manifest.json is missing)");
        RunFolderGuard.RefuseLive(folder, "verify");
        var baseDirectory = RunFolderGuard.ReadString(source, "base-directory");
        // The manifest names the engine; rerunning with the same one makes manifest.json comparable too.
        var recorded = RunFolderGuard.ReadString(Path.Combine(folder, "manifest.json"), "engine");
        var engine = engineOption ?? (recorded == "direct" ? EngineKind.Direct : EngineKind.Actors);
        // Rerun in the folder's own format: files of a run made before a format change keep their bytes.
        var format = RunFormat.Of(Path.Combine(folder, "manifest.json")) ?? RunFormat.Current;
        var scenario = ScenarioReader.Parse(File.ReadAllText(text), text, baseDirectory) with { Format = format };
        var rerun = Path.Combine(Path.GetTempPath(), "delaysim-verify", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(rerun);
        try
        {
            string[] compared;
            if (sample is { } k)
            {
                var cells = CellPlan.Build(scenario);
                if (k < 1) throw new BadInputException($"--sample {k}: need at least 1");
                var picked = Enumerable.Range(0, Math.Min(k, cells.Count)).Select(i => i * cells.Count / Math.Min(k, cells.Count)).ToArray();
                var store = new CellStore(rerun);
                await using var executor = new LocalExecutor(engine, Environment.ProcessorCount);
                var runs = await executor.ExecuteAsync(picked.Select(i => cells[i]).ToArray(), scenario, store: null, _ => { });
                for (var j = 0; j < picked.Length; j++) store.Save(picked[j], runs[j].Cell.Name, runs[j].Replicates);
                compared = Directory.GetFiles(Path.Combine(rerun, "cells")).Select(f => Path.Combine("cells", Path.GetFileName(f))).Order(StringComparer.Ordinal).ToArray();
            }
            else
            {
                await using var executor = new LocalExecutor(engine, Environment.ProcessorCount);
                await RunPipeline.RunAsync(scenario, rerun, executor, Environment.ProcessorCount, printTable: false);
                compared = ["manifest.json", "summary.csv", "metrics.csv", "theory.csv", "staleness.csv", "staleness_histogram.csv", "scenario.hocon"];
                if (File.Exists(Path.Combine(rerun, Output.Contrasts.FileName))) compared = [.. compared, Output.Contrasts.FileName];
                compared = [.. compared, .. Directory.GetFiles(Path.Combine(rerun, "cells")).Select(f => Path.Combine("cells", Path.GetFileName(f))).Order(StringComparer.Ordinal)];
            }
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 132);
            var table = new Table().Title($"verify {folder}");
            table.AddColumn("file");
            table.AddColumn("result");
            var mismatches = 0;
            foreach (var file in compared)
            {
                var original = Path.Combine(folder, file);
                var result = !File.Exists(original) ? (DerivedSince.Contains(file) ? NotCompared + " (absent: older run folder)" : "missing in the run folder")
                    : format < 2 && file == Output.Contrasts.FileName ? NotCompared + " (its layout changed in format 2; derived from the files above)"
                    : File.ReadAllBytes(original).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(rerun, file))) ? "identical" : "DIFFERENT";
                if (!(result == "identical" || result.StartsWith(NotCompared, StringComparison.Ordinal))) mismatches++;
                table.AddRow(file, result);
            }
            AnsiConsole.Write(table);
            Log.Information("{Matched} of {Total} files identical or not compared", compared.Length - mismatches, compared.Length);
            return mismatches == 0 ? Exit.Ok : Exit.Mismatch;
        }
        finally
        {
            Directory.Delete(rerun, recursive: true);
        }
    }
}

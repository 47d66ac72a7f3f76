using System.Globalization;
using System.Text;
using System.Text.Json;
using DelaySim.Host.Output;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Engine;

namespace DelaySim.Host.Live;

/// <summary>
/// The files of a live run beside trace.csv: those of a run folder for its one replicate (summary.csv, metrics.csv,
/// staleness.csv, … and plots; trajectory 0 only), checkpoints.csv (the parameters' SHA-256 at every checkpoint),
/// clocks.csv, measured-delays.csv, manifest.json, timings.json and replay.hocon.
/// </summary>
internal static class LiveFolder
{
    public const string ReplayFile = "replay.hocon";
    public const string CheckpointsHeader = "iteration,parameters_sha256";
    public const string DelaysHeader = "worker,host,quantity,n,mean,sd,p50,p95,max,declared_mean";

    /// <summary>
    /// replay.hocon: the staleness domain replaying trace.csv (versions and samples), with the scenario's problem, data
    /// (paths made absolute), optimizer and checkpoints, and twins (the scenario's, at least 8) for the stability of
    /// that delay sequence. <paramref name="steps"/>: the applied steps to replay.
    /// </summary>
    public static void WriteReplay(string folder, Scenario scenario, long steps)
    {
        var c = new StrictConfig(HoconSyntax.Parse(scenario.Text, scenario.Origin, scenario.BaseDirectory), scenario.Origin, scenario.Text);
        var d = scenario.Data;
        var files = new (string Key, string? Path)[]
        {
            ("data.libsvm.train", d.Libsvm?.Train), ("data.libsvm.test", d.Libsvm?.Test), ("data.idx.images", d.Idx?.Images),
            ("data.idx.labels", d.Idx?.Labels), ("data.idx.test-images", d.Idx?.TestImages), ("data.idx.test-labels", d.Idx?.TestLabels),
        };
        var text = new StringBuilder()
            .Append($"# Replays the live run recorded in this folder: delaysim run {Path.Combine(folder, ReplayFile)}\n")
            .Append("# Trajectory 0 repeats the live run to the bit (trace.csv's versions and samples, in the staleness domain);\n")
            .Append("# the twins measure the stability of that real delay sequence.\n")
            .Append($"name = {JsonSerializer.Serialize(scenario.Name + "-replay", LiveJson.Default.String)}\n")
            .Append($"seed = {scenario.Seed}\nseeds = 1\n")
            .Append($"workers = {scenario.Simulation.Time!.Workers}\n")
            .Append($"problem = {c.ValueText("problem")}\n")
            .Append($"data = {c.ValueText("data")}\n");
        foreach (var (key, path) in files)
            if (path is not null) text.Append($"{key} = {JsonSerializer.Serialize(Path.GetFullPath(path, scenario.BaseDirectory), LiveJson.Default.String)}\n");
        text.Append($"optimizer = {c.ValueText("optimizer")}\n")
            .Append($"optimizer.iterations = {steps}\n")
            .Append($"delay {{ kind = replay, file = \"{TraceWriter.FileName}\" }}\n")
            .Append($"stability.twins = {Math.Max(scenario.Stability.Twins, 8)}\n")
            .Append($"output.checkpoint-every = {scenario.Output.CheckpointEvery}\n");
        AtomicFile.Write(Path.Combine(folder, ReplayFile), text.ToString());
    }

    public static void Write(string folder, Scenario scenario, Pipeline.Cell cell, Replicate replicate, LiveSection live, LiveOutcome outcome, IReadOnlyList<TraceRow> rows)
    {
        var applied = rows.Count(r => r.Event == "applied");
        WriteReplay(folder, scenario, applied);
        // The files of a run folder, for the one replicate that ran (trajectory 0; no twins): summary.csv, metrics.csv,
        // theory.csv, staleness.csv, staleness_histogram.csv and the plots.
        var summary = CellSummary.From(cell.Name, replicate.Spec, cell.TrainCount, [outcome.Result], Pipeline.Curvatures.LargestEigenvalue(replicate.Spec, replicate.Seed));
        var outcomes = new[] { new Pipeline.CellOutcome(cell, [outcome.Result], summary, TimeSpan.FromSeconds(outcome.WallSeconds)) };
        RunFolder.WriteResults(folder, outcomes, scenario, []);
        Plots.RunPlots.Write(folder, outcomes);
        var checkpoints = new Csv(CheckpointsHeader.Split(','));
        foreach (var (iteration, hash) in outcome.CheckpointHashes) checkpoints.Row(iteration, hash);
        AtomicFile.Write(Path.Combine(folder, "checkpoints.csv"), checkpoints.ToString());
        AtomicFile.Write(Path.Combine(folder, "measured-delays.csv"), MeasuredDelays.Csv(scenario, replicate, live, outcome, rows));
        var manifest = new LiveManifest(
            typeof(LiveFolder).Assembly.GetName().Version!.ToString(), RunFormat.Current, RunFolder.Hash(scenario), scenario.Seed,
            replicate.Seed, "live", outcome.Stopped, applied, rows.Count(r => r.Event == "lost"),
            new LiveSettings(live.TimeScale, live.Inject, live.MaxWallSeconds),
            [.. outcome.Placement.OrderBy(p => p.Worker).ThenBy(p => p.Incarnation).Select(p => new LivePlacement(p.Worker, p.Incarnation, p.Host))],
            [.. outcome.Clocks.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new LiveClockOffset(c.Key, c.Value.Offset, c.Value.RoundTrip))]);
        AtomicFile.Write(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, LiveJson.Default.LiveManifest) + "\n");
        var timings = new LiveTimings("live", outcome.WallSeconds, applied, applied / outcome.WallSeconds);
        AtomicFile.Write(Path.Combine(folder, "timings.json"), JsonSerializer.Serialize(timings, LiveJson.Default.LiveTimings) + "\n");
    }

    public const string ClocksFile = "clocks.csv";

    /// <summary>clocks.csv: each node's clock offset (node − coordinator) and the probe's round trip, written when probing ends.</summary>
    public static void WriteClocks(string folder, IReadOnlyDictionary<string, (double Offset, double RoundTrip)> clocks)
    {
        var csv = new Csv("host", "offset_seconds", "round_trip_seconds");
        foreach (var (host, (offset, roundTrip)) in clocks.OrderBy(c => c.Key, StringComparer.Ordinal)) csv.Row(host, offset, roundTrip);
        AtomicFile.Write(Path.Combine(folder, ClocksFile), csv.ToString());
    }

    public static void Print(string folder, Replicate replicate, LiveOutcome outcome)
    {
        var r = outcome.Result;
        var steps = r.Final.Iteration; // the last checkpoint is the last applied step (LiveServerActor.Finish)
        var hosts = outcome.Placement.Select(p => p.Host).Distinct().Count();
        Console.WriteLine($"Live run: {steps} steps in {outcome.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s " +
            $"({(steps / outcome.WallSeconds).ToString("0", CultureInfo.InvariantCulture)} updates/s), {replicate.Spec.Time!.Workers} workers on {hosts} node(s); stopped: {outcome.Stopped}");
        Console.WriteLine($"final train loss {NumberText.Significant(r.Final.TrainLoss, 4)}, test loss {NumberText.Significant(r.Final.TestLoss, 4)}, gap {NumberText.Significant(r.Final.GenGap, 3)}; " +
            $"mean staleness {StalenessCounts.Mean(r.StalenessCounts).ToString("0.##", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"Run folder: {folder}");
        Console.WriteLine($"Replay it (bit for bit, with twins): delaysim run {Path.Combine(folder, ReplayFile)}");
    }
}

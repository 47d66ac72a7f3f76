using Akka.Actor;
using DelaySim.Host.Cluster;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Model.Engine;
using DelaySim.Model.Randomness;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Host.Live;

/// <summary>Where a live coordinator joins and how many runner nodes it waits for.</summary>
internal sealed record LiveOptions(string Seed, string Host, int Port, int Nodes, TimeSpan JoinTimeout, string? PublicHost = null);

/// <summary>
/// <c>delaysim live</c>: one replicate (the scenario's first, seed replicate/0) of a time-domain scenario trained for
/// real, its workers on the cluster's runner nodes, recorded in a run folder whose replay.hocon repeats it in the
/// simulator.
/// </summary>
internal static class LiveRun
{
    /// <summary>The role a live coordinator joins with: runners do not ask it for cells.</summary>
    public const string Role = "live";

    /// <summary>
    /// The replicate a live run trains (trajectory 0 only: twins come from the replay) and its live block, after checking
    /// that the scenario can run live: one time-domain cell, gradients applied one by one, a rule under which every
    /// gradient is one update (so that a gradient's step in the trace is its step in the replay).
    /// </summary>
    /// <summary>The rules that make exactly one version per gradient in the time domain.</summary>
    static readonly RuleKind[] LiveRules = [RuleKind.Plain, RuleKind.DelayAdaptive, RuleKind.StalenessWeighted, RuleKind.Momentum, RuleKind.DelayCompensated];

    /// <summary>
    /// What a runner's replicate must share with the coordinator's for the replay to match: the build, the initial point,
    /// the training labels and the data's shape (SHA-256).
    /// </summary>
    public static string Fingerprint(Replicate replicate)
    {
        var train = replicate.Data.Train;
        var labels = Enumerable.Range(0, train.Count).Select(train.Label).ToArray();
        var text = $"{typeof(LiveRun).Assembly.GetName().Version}|{train.Count}|{train.FeatureCount}|{train.StoredValues}|{replicate.Data.Test.Count}|";
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(text));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(replicate.InitialParameters.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public static (Cell Cell, Replicate Replicate, LiveSection Live) Prepare(Scenario scenario)
    {
        string Error(string key, string what) => $"{scenario.Origin}: {key}: {what}";
        if (scenario.Simulation.Domain != Domain.Time)
            throw new BadInputException(Error("simulation.domain", "a live run needs the time domain (workers that pull, compute and push)"));
        var live = scenario.Live ?? new LiveSection(1, [], 600);
        if (scenario.Sweep.Count > 0) throw new BadInputException(Error("sweep", "a live run is one cell; run the sweep's cells one by one (--set)"));
        if (scenario.Simulation.Time!.Apply != ApplyPolicy.Each)
            throw new BadInputException(Error("simulation.time.apply", "a live run applies each gradient as it arrives (apply = each); real arrivals have no common tick to sum over"));
        if (scenario.Optimizer.Iterations is null)
            throw new BadInputException(Error("optimizer.iterations", "a live run counts server steps: set optimizer.iterations (epochs and gradients are for simulations)"));
        if (scenario.Optimizer.Rule is { } rule && !LiveRules.Contains(rule.Kind))
            throw new BadInputException(Error("optimizer.rule.kind", $"{StrictConfig.KebabName(rule.Kind)} cannot run live: a rule that holds or drops gradients makes steps that are not the gradients', so the replay could not match; live runs take {string.Join(", ", LiveRules.Select(r => StrictConfig.KebabName(r)))}"));
        if (scenario.Timeline is { Count: > 0 }) throw new BadInputException(Error("timeline", "scripted events are for simulations; a live run's events are the hardware's"));
        var cell = CellPlan.Build(scenario)[0];
        cell = cell with { Spec = cell.Spec with { Twins = 0 } };
        return (cell, Replicate.Prepare(cell.Spec, Streams.Replicate(scenario.Seed, 0)), live);
    }

    static bool HasRows(string folder)
    {
        var trace = Path.Combine(folder, TraceWriter.FileName);
        return File.Exists(trace) && File.ReadLines(trace).Skip(1).Any();
    }

    public static async Task<int> RunAsync(string file, string? output, string[]? overrides, LiveOptions options)
    {
        var scenario = ScenarioReader.ReadFile(file, overrides);
        var (cell, replicate, live) = Prepare(scenario);
        // Every live run is new, so the default folder is named by when it started.
        var folder = output ?? Path.Combine("runs", $"{scenario.Name}-live-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new BadInputException($"--out {folder}: the folder is not empty (a live run is never rerun into an old folder; choose another)");
        var created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        LiveOutcome outcome;
        try
        {
            RunFolder.WriteSource(folder, scenario.Text, scenario.Origin, scenario.BaseDirectory);
            LiveFolder.WriteReplay(folder, scenario, scenario.Optimizer.Iterations!.Value); // first, so a killed coordinator leaves it too

            var config = ClusterSetup.Config(options.Host, options.Port, [options.Seed], [Role], options.PublicHost);
            var system = await ClusterSetup.StartAsync(config, 1, options.JoinTimeout, $"live coordinator joining {options.Seed}");
            using (var trace = new TraceWriter(folder))
            {
                try
                {
                    var done = new TaskCompletionSource<LiveOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                    var runId = RunFolder.Hash(scenario) + "-" + Guid.NewGuid().ToString("N")[..8];
                    system.ActorOf(LiveServerActor.Props(new LivePlan(runId, scenario, replicate, live, options.Nodes, trace, options.JoinTimeout, folder), done), "live");
                    Serilog.Log.Information("Live coordinator up; waiting for {Nodes} runner node(s) at {Seed}", options.Nodes, options.Seed);
                    outcome = await done.Task;
                }
                finally
                {
                    await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
                }
                LiveFolder.Write(folder, scenario, cell, replicate, live, outcome, trace.Rows);
            }
        }
        catch when (created && !HasRows(folder))
        {
            Directory.Delete(folder, recursive: true); // nothing was recorded (the cluster or its nodes never came): leave no folder behind
            throw;
        }
        LiveFolder.Print(folder, replicate, outcome);
        return outcome.Stopped == "diverged" ? Commands.Exit.Diverged : Commands.Exit.Ok;
    }
}

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
    public static (Replicate Replicate, LiveSection Live) Prepare(Scenario scenario)
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
        if (scenario.Optimizer.Rule?.Kind is RuleKind.Buffered or RuleKind.BoundedStaleness)
            throw new BadInputException(Error("optimizer.rule.kind", $"{StrictConfig.KebabName(scenario.Optimizer.Rule.Kind)} holds or drops gradients, so its steps and the gradients' differ and the replay could not match; live runs take plain, delay-adaptive, staleness-weighted, momentum and delay-compensated"));
        if (scenario.Timeline is { Count: > 0 }) throw new BadInputException(Error("timeline", "scripted events are for simulations; a live run's events are the hardware's"));
        var cell = CellPlan.Build(scenario)[0];
        var spec = cell.Spec with { Twins = 0 };
        return (Replicate.Prepare(spec, Streams.Replicate(scenario.Seed, 0)), live);
    }

    public static async Task<int> RunAsync(string file, string? output, string[]? overrides, LiveOptions options)
    {
        var scenario = ScenarioReader.ReadFile(file, overrides);
        var (replicate, live) = Prepare(scenario);
        var folder = output ?? Path.Combine("runs", $"{scenario.Name}-live-{RunFolder.Hash(scenario)[..12]}");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new BadInputException($"--out {folder}: the folder is not empty (a live run is never rerun into an old folder; choose another)");
        Directory.CreateDirectory(folder);
        RunFolder.WriteSource(folder, scenario.Text, scenario.Origin, scenario.BaseDirectory);
        LiveFolder.WriteReplay(folder, scenario, scenario.Optimizer.Iterations!.Value); // first, so a killed coordinator leaves it too

        var config = ClusterSetup.Config(options.Host, options.Port, [options.Seed], Role, options.PublicHost);
        var system = await ClusterSetup.StartAsync(config, 1, options.JoinTimeout, $"live coordinator joining {options.Seed}");
        LiveOutcome outcome;
        using (var trace = new TraceWriter(folder))
        {
            try
            {
                var done = new TaskCompletionSource<LiveOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                var runId = RunFolder.Hash(scenario) + "-" + Guid.NewGuid().ToString("N")[..8];
                system.ActorOf(LiveServerActor.Props(new LivePlan(runId, scenario, replicate, live, options.Nodes, trace, options.JoinTimeout), done), "live");
                Serilog.Log.Information("Live coordinator up; waiting for {Nodes} runner node(s) at {Seed}", options.Nodes, options.Seed);
                outcome = await done.Task;
            }
            finally
            {
                await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
            }
            LiveFolder.Write(folder, scenario, replicate, live, outcome, trace.Rows);
        }
        LiveFolder.Print(folder, replicate, outcome);
        return outcome.Stopped == "diverged" ? Commands.Exit.Diverged : Commands.Exit.Ok;
    }
}

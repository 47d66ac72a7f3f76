using System.Diagnostics;
using Akka.Actor;
using DelaySim.Host.Commands;
using DelaySim.Host.Output;
using DelaySim.Host.Running;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Engine;
using Serilog;

namespace DelaySim.Host.Cluster;

/// <summary>
/// <c>run --cluster</c>: this process joins as coordinator, also runs cells on its own cores (a local runner) unless
/// <c>--coordinate-only</c>, and returns the outcomes exactly as a local run would, so the run folder is byte-identical.
/// </summary>
public static class ClusterRun
{
    public static async Task<IReadOnlyList<CellOutcome>> RunAsync(IReadOnlyList<Cell> cells, Scenario scenario, string folder, string engine, RunCommand.ClusterOptions options)
    {
        var config = ClusterSetup.Config(options.Host, options.Port, [options.Seed], ClusterSetup.CoordinatorRole);
        var system = await ClusterSetup.StartAsync(config, Environment.ProcessorCount, TimeSpan.FromSeconds(30), $"coordinator joining {options.Seed}");
        try
        {
            var watch = Stopwatch.StartNew();
            var completion = new TaskCompletionSource<IReadOnlyList<ReplicateResultSet>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = new CoordinatedRun(RunFolder.Hash(scenario), scenario.Text, scenario.Origin, scenario.BaseDirectory, cells, engine, new CellStore(folder));
            system.ActorOf(CoordinatorActor.Props(run, completion), ClusterSetup.CoordinatorName);
            if (!options.CoordinateOnly) system.ActorOf(RunnerActor.Props(only: Akka.Cluster.Cluster.Get(system).SelfAddress), ClusterSetup.RunnerName);
            Log.Information("Coordinator up; {Cells} cells for the runners of {Seed}", cells.Count, options.Seed);
            var sets = await completion.Task;
            return sets.Select(s => new CellOutcome(s.Cell, s.Replicates,
                CellSummary.From(s.Cell.Name, s.Cell.Spec, s.Cell.TrainCount, s.Replicates, Curvatures.LargestEigenvalue(s.Cell.Spec, s.Replicates[0].Seed)),
                watch.Elapsed)).ToArray();
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        }
    }
}

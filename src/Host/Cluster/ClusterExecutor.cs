using Akka.Actor;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Cluster;

/// <summary>Where the coordinator joins, for <c>run --cluster</c>, and whether it also runs cells itself.</summary>
internal sealed record ClusterOptions(string Seed, string Host, int Port, bool CoordinateOnly = false);

/// <summary>
/// <c>run --cluster</c>: this process joins as coordinator, also runs cells on its own cores (a local runner) unless
/// <c>--coordinate-only</c>, and hands back the cells as a local run would, so the run folder is byte-identical.
/// Leaving starts as soon as the last cell is in, so it overlaps writing the results; <see cref="DisposeAsync"/> waits
/// for it.
/// </summary>
internal sealed class ClusterExecutor(EngineKind engine, ClusterOptions options) : ICellExecutor, IAsyncDisposable
{
    Task? _leaving;

    public EngineKind Engine => engine;

    public async Task<IReadOnlyList<CellRun>> ExecuteAsync(IReadOnlyList<Cell> cells, Scenario scenario, CellStore? store, Action<CellRun> onCell)
    {
        var config = ClusterSetup.Config(options.Host, options.Port, [options.Seed], ClusterSetup.CoordinatorRole);
        var system = await ClusterSetup.StartAsync(config, Environment.ProcessorCount, TimeSpan.FromSeconds(30), $"coordinator joining {options.Seed}");
        try
        {
            var completion = new TaskCompletionSource<IReadOnlyList<CellRun>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = new CoordinatedRun(RunFolder.Hash(scenario), scenario.Text, scenario.Origin, scenario.BaseDirectory, cells,
                engine.ToString().ToLowerInvariant(), store ?? throw new ArgumentNullException(nameof(store), "a cluster run stores each cell as it arrives"), onCell, scenario.Format);
            system.ActorOf(CoordinatorActor.Props(run, completion), ClusterSetup.CoordinatorName);
            if (!options.CoordinateOnly) system.ActorOf(RunnerActor.Props(only: Akka.Cluster.Cluster.Get(system).SelfAddress), ClusterSetup.RunnerName);
            Serilog.Log.Information("Coordinator up; {Cells} cells for the runners of {Seed}", cells.Count, options.Seed);
            return await completion.Task;
        }
        finally
        {
            _leaving = Leave(system);
        }
    }

    static async Task Leave(ActorSystem system)
    {
        var leaving = System.Diagnostics.Stopwatch.StartNew();
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        Serilog.Log.Information("Left the cluster in {Seconds:0.00} s", leaving.Elapsed.TotalSeconds);
    }

    /// <summary>Waits for the leave (nothing to wait for if the run never joined).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_leaving is not null) await _leaving;
    }
}

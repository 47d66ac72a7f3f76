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
/// Joining starts once the run has passed its checks (<see cref="Begin"/>), so it overlaps writing the manifest, and the
/// coordinator actor exists before the node is Up, so no runner's first request is lost; leaving
/// starts as soon as the last cell is in, so it overlaps writing the results; <see cref="DisposeAsync"/> waits for it.
/// </summary>
internal sealed class ClusterExecutor(EngineKind engine, ClusterOptions options) : ICellExecutor, IAsyncDisposable
{
    Task<ActorSystem>? _joining;
    Task? _leaving;
    IActorRef? _coordinator;

    public EngineKind Engine => engine;

    public void Begin() => _joining ??= Task.Run(() => ClusterSetup.StartAsync(
        ClusterSetup.Config(options.Host, options.Port, [options.Seed], [ClusterSetup.CoordinatorRole]),
        Environment.ProcessorCount, TimeSpan.FromSeconds(30), $"coordinator joining {options.Seed}",
        started: system => _coordinator = system.ActorOf(CoordinatorActor.Props(), ClusterSetup.CoordinatorName)));

    public async Task<IReadOnlyList<CellRun>> ExecuteAsync(IReadOnlyList<Cell> cells, Scenario scenario, CellStore? store, Action<CellRun> onCell)
    {
        Begin();
        var system = await _joining!;
        try
        {
            var run = CoordinatedRun.Of(cells, scenario, engine, store, onCell);
            var completion = CoordinatorActor.RunAsync(_coordinator!, run);
            if (!options.CoordinateOnly) system.ActorOf(RunnerActor.Props(only: Akka.Cluster.Cluster.Get(system).SelfAddress), ClusterSetup.RunnerName);
            Serilog.Log.Information("Coordinator up; {Cells} cells for the runners of {Seed}", cells.Count, options.Seed);
            return await completion;
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

    /// <summary>Waits for the leave; leaves if the run joined but failed before its cells (e.g. the disk filled up).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_leaving is null && _joining is not null)
        {
            try
            {
                _leaving = Leave(await _joining);
            }
            catch (Exception)
            {
                return; // the join failed too: the run's own error (or the join's, from ExecuteAsync) is the one to report
            }
        }
        try
        {
            if (_leaving is not null) await _leaving;
        }
        catch (Exception e)
        {
            Serilog.Log.Warning("Leaving the cluster failed: {Error}", e.GetBaseException().Message); // never hides the run's own error
        }
    }
}

using Akka.Actor;
using DelaySim.Host.Output;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Pipeline;

/// <summary>Runs the cells on this machine: <paramref name="jobs"/> replicates at once, with the actor or the direct engine.</summary>
internal sealed class LocalExecutor(EngineKind engine, int jobs) : ICellExecutor, IAsyncDisposable
{
    // The ActorSystem starts as soon as the executor exists, on another thread, so its start (configuration, extensions,
    // loggers: a few tenths of a second) overlaps the plan and the manifest instead of adding to them.
    readonly Task<ActorSystem>? _system = engine == EngineKind.Actors ? Task.Run(() => AkkaSetup.CreateSystem(lanes: Math.Max(1, jobs))) : null;

    public EngineKind Engine => engine;

    public async Task<IReadOnlyList<CellRun>> ExecuteAsync(IReadOnlyList<Cell> cells, Scenario scenario, CellStore? store, Action<CellRun> onCell)
    {
        var system = _system is null ? null : await _system;
        try
        {
            return await new SweepRunner(engine, jobs, system, store).RunAsync(cells, scenario.Seed, scenario.Seeds, onCell);
        }
        finally
        {
            _ = system?.Terminate(); // stops while the results are written; DisposeAsync waits for it
        }
    }

    /// <summary>Waits until the ActorSystem has stopped, and stops it if no run did (the run failed first, e.g. on bad input).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_system is null) return;
        try
        {
            await (await _system).Terminate();
        }
        catch (Exception e)
        {
            Serilog.Log.Warning("The actor system did not stop cleanly: {Error}", e.GetBaseException().Message); // never hides the run's own error
        }
    }
}

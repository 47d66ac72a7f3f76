using DelaySim.Host.Output;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Pipeline;

/// <summary>Runs the cells on this machine: <paramref name="jobs"/> replicates at once, with the actor or the direct engine.</summary>
internal sealed class LocalExecutor(EngineKind engine, int jobs) : ICellExecutor
{
    public EngineKind Engine => engine;

    public async Task<IReadOnlyList<CellRun>> ExecuteAsync(IReadOnlyList<Cell> cells, Scenario scenario, CellStore? store, Action<CellRun> onCell)
    {
        var system = engine == EngineKind.Actors ? AkkaSetup.CreateSystem(lanes: Math.Max(1, jobs)) : null;
        try
        {
            return await new SweepRunner(engine, jobs, system, store).RunAsync(cells, scenario.Seed, scenario.Seeds, onCell);
        }
        finally
        {
            if (system is not null) await system.Terminate();
        }
    }
}

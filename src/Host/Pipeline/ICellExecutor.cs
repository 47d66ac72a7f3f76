using DelaySim.Host.Output;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Pipeline;

/// <summary>
/// Runs the cells of a plan somewhere: on this machine (<see cref="LocalExecutor"/>) or on a cluster's runner nodes
/// (<see cref="Cluster.ClusterExecutor"/>). Whatever runs them, a cell's replicates are the same bits. With a
/// <paramref name="store"/>, cells already in it are read back (resumed) and every other cell is saved there the moment it ends.
/// </summary>
internal interface ICellExecutor
{
    /// <summary>The engine that runs the replicates, as the manifest names it: <c>actors</c> or <c>direct</c>.</summary>
    EngineKind Engine { get; }

    /// <summary>
    /// The run has passed its checks and will execute: an executor may start what takes time (joining a cluster) now,
    /// while the manifest is written, instead of in <see cref="ExecuteAsync"/>.
    /// </summary>
    void Begin() { }

    /// <summary>
    /// Once <see cref="ExecuteAsync"/> has returned: the later half of <see cref="Plots.RunPlots.Figures"/> of the cells,
    /// being drawn somewhere else while this process draws the others (<see cref="Plots.FigureDrawing"/>), by index.
    /// Null when nowhere else draws them (a local run).
    /// </summary>
    Task<IReadOnlyDictionary<int, Plots.DrawnFigure>>? FiguresDrawnElsewhere => null;

    /// <summary>Runs every cell, calling <paramref name="onCell"/> as each one ends (in any order); returns them in plan order.</summary>
    Task<IReadOnlyList<CellRun>> ExecuteAsync(IReadOnlyList<Cell> cells, Scenario scenario, CellStore? store, Action<CellRun> onCell);
}

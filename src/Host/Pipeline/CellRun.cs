using DelaySim.Model.Engine;

namespace DelaySim.Host.Pipeline;

internal enum EngineKind { Actors, Direct }

/// <summary>A cell an executor finished: its replicates in replicate order and its wall time (kept out of results files).</summary>
/// <param name="Index">The cell's position in the plan.</param>
/// <param name="Resumed">Read back from the run folder instead of run (its <paramref name="Elapsed"/> is then zero).</param>
internal sealed record CellRun(int Index, Cell Cell, IReadOnlyList<ReplicateResult> Replicates, TimeSpan Elapsed, bool Resumed = false);

/// <summary>A finished cell with its summary row: what the run folder's files, the plots and the table are made of.</summary>
internal sealed record CellOutcome(Cell Cell, IReadOnlyList<ReplicateResult> Replicates, CellSummary Summary, TimeSpan Elapsed, bool Resumed = false)
{
    /// <summary>The one place a cell's summary is computed, whichever executor ran it.</summary>
    public static CellOutcome Of(CellRun run) => Of(run, Curvatures.LargestEigenvalue(run.Cell.Spec, run.Replicates[0].Seed));

    /// <param name="lambdaMax">λ_max of replicate 0's training data, computed where that data is (another node sent it).</param>
    public static CellOutcome Of(CellRun run, double lambdaMax) =>
        new(run.Cell, run.Replicates, CellSummary.From(run.Cell.Name, run.Cell.Spec, run.Cell.TrainCount, run.Replicates, lambdaMax), run.Elapsed, run.Resumed);
}

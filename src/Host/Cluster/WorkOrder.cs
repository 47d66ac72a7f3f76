using DelaySim.Host.Pipeline;

namespace DelaySim.Host.Cluster;

/// <summary>
/// The order a coordinator hands cells out in: largest estimated work first (longest-processing-time first, ties in plan
/// order), so that with work pulling the last cells to finish are small ones and no node idles while another runs a big
/// cell alone. The order changes which node runs what, never a result: cells are stored and summarised by index.
/// </summary>
internal static class WorkOrder
{
    /// <summary>
    /// A cell's work in sample-gradient units per replicate: its steps (or gradients) × batch × trajectories, plus the
    /// evaluation of every checkpoint on the training set. Only ratios between the cells of one run matter.
    /// </summary>
    public static double Estimate(Cell cell)
    {
        var spec = cell.Spec;
        var steps = spec.Iterations != int.MaxValue ? spec.Iterations : (double)Math.Min(spec.GradientBudget, long.MaxValue / 2);
        var trajectories = 1 + spec.Twins;
        return steps * spec.Batch * trajectories + (steps / spec.CheckpointEvery + 1) * cell.TrainCount;
    }

    public static IEnumerable<int> LargestFirst(IReadOnlyList<Cell> cells, IEnumerable<int> indices) =>
        indices.OrderByDescending(i => Estimate(cells[i])).ThenBy(i => i);
}

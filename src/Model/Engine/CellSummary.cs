using MathNet.Numerics.Statistics;

namespace DelaySim.Model.Engine;

/// <summary>One row of summary.csv: a cell's final measurements, mean (and sample sd) over its replicates.</summary>
public sealed record CellSummary(
    string Cell,
    string Delay,
    int Tau,
    int N,
    double Eta,
    int Iterations,
    int Seeds,
    double TrainLoss,
    double TestLoss,
    double GenGap,
    double GenGapSd,
    double AbsGenGap,
    double PopulationRisk,
    double StabilityL2,
    double StabilityLoss,
    double MeanStaleness,
    int Diverged)
{
    public static CellSummary From(string cell, CellSpec spec, int n, IReadOnlyList<ReplicateResult> replicates)
    {
        var finals = replicates.Select(r => r.Final).ToArray();
        var gaps = finals.Select(c => c.GenGap).ToArray();
        var counts = new long[replicates.Max(r => r.StalenessCounts.Length)];
        foreach (var r in replicates)
            for (var s = 0; s < r.StalenessCounts.Length; s++) counts[s] += r.StalenessCounts[s];
        var updates = counts.Sum();
        var meanStaleness = updates == 0 ? 0 : counts.Select((c, s) => (double)c * s).Sum() / updates;
        return new CellSummary(
            cell,
            spec.DelayLabel,
            spec.Time is null ? spec.Staleness.Max : Array.FindLastIndex(counts, c => c > 0),
            n,
            spec.Eta,
            spec.Iterations,
            replicates.Count,
            finals.Select(c => c.TrainLoss).Mean(),
            finals.Select(c => c.TestLoss).Mean(),
            gaps.Mean(),
            gaps.Length > 1 ? gaps.StandardDeviation() : double.NaN,
            gaps.Select(Math.Abs).Mean(),
            finals.Select(c => c.PopulationRisk).Mean(),
            finals.Select(c => c.TwinL2).Mean(),
            replicates.Select(r => r.StabilityLoss).Mean(),
            meanStaleness,
            replicates.Count(r => r.Diverged));
    }
}

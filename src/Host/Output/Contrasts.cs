using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Engine;
using MathNet.Numerics.Statistics;

namespace DelaySim.Host.Output;

/// <summary>
/// contrasts.csv: for every cell of a sweep, its paired differences against the cell that differs from it in one sweep
/// dimension only, where that dimension takes its first value (the baseline; the delay list counts as a dimension).
/// Replicate r of every cell uses the same seeds (common random numbers), so the per-replicate differences are paired
/// and their interval is far narrower than the two cells' intervals suggest. Pairs are the replicates where neither
/// diverged; the interval is the 95 % t-interval of the mean difference.
/// </summary>
internal static class Contrasts
{
    public const string FileName = "contrasts.csv";
    public const string Header = "cell,baseline,dimension,pairs,metric,difference,difference_ci95,t";

    static readonly (string Name, Func<ReplicateResult, double> Of)[] Metrics =
    [
        ("gen_gap", r => r.Final.GenGap),
        ("test_loss", r => r.Final.TestLoss),
        ("train_loss", r => r.Final.TrainLoss),
        ("stability_loss", r => r.StabilityLoss),
    ];

    /// <summary>The file's text, or null for a run without a sweep and with one delay value (nothing to contrast).</summary>
    public static string? Csv(IReadOnlyList<CellOutcome> outcomes, IReadOnlyList<SweepDimension> sweep)
    {
        var delays = outcomes.Select(o => o.Cell.DelayPart).Distinct().ToArray();
        if (sweep.Count == 0 && delays.Length < 2) return null;
        var bySignature = outcomes.ToDictionary(o => Signature(Values(o), o.Cell.DelayPart));
        // A point with one cell is its own baseline whatever its delay part (a swept delay.kind renames the delay part).
        var byPoint = outcomes.GroupBy(o => Signature(Values(o), "")).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
        var csv = new Csv(Header.Split(','));
        foreach (var o in outcomes)
        {
            var values = Values(o);
            foreach (var dimension in sweep)
            {
                // The baseline takes the dimension's first point on all of its paths (a zip moves them together).
                var first = dimension.Paths.Zip(dimension.Points[0]).ToDictionary(p => p.First, p => p.Second);
                if (dimension.Paths.All(p => values[p] == first[p])) continue;
                var baseline = values.ToDictionary(v => v.Key, v => first.GetValueOrDefault(v.Key, v.Value));
                if (bySignature.TryGetValue(Signature(baseline, o.Cell.DelayPart), out var b) || byPoint.TryGetValue(Signature(baseline, ""), out b))
                    Rows(csv, o, b, string.Join("+", dimension.Paths));
            }
            if (o.Cell.DelayPart != delays[0] && bySignature.TryGetValue(Signature(values, delays[0]), out var atFirstDelay))
                Rows(csv, o, atFirstDelay, "delay");
        }
        return csv.ToString();
    }

    static Dictionary<string, string> Values(CellOutcome o) => o.Cell.Point.Values.ToDictionary(v => v.Path, v => v.Value);

    static string Signature(Dictionary<string, string> values, string delay) =>
        string.Join(";", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")) + "|" + delay;

    static void Rows(Csv csv, CellOutcome cell, CellOutcome baseline, string dimension)
    {
        var pairs = cell.Replicates.Join(baseline.Replicates, r => r.Index, r => r.Index, (a, b) => (a, b))
            .Where(p => !p.a.Diverged && !p.b.Diverged).ToArray();
        foreach (var (name, of) in Metrics)
        {
            var differences = pairs.Select(p => of(p.a) - of(p.b)).Where(double.IsFinite).ToArray();
            var mean = differences.Length > 0 ? differences.Mean() : double.NaN;
            var sd = differences.Length > 1 ? differences.StandardDeviation() : double.NaN;
            csv.Row(cell.Cell.Name, baseline.Cell.Name, dimension, differences.Length, name, mean,
                CellSummary.HalfWidth(differences), sd > 0 ? mean / (sd / Math.Sqrt(differences.Length)) : double.NaN);
        }
    }
}

using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Model.Engine;
using MathNet.Numerics.Statistics;

namespace DelaySim.Host.Output;

/// <summary>One paired difference: <paramref name="Cell"/> − <paramref name="Baseline"/> in <paramref name="Metric"/>, over <paramref name="N"/> paired replicates.</summary>
/// <param name="Dimension">The swept key paths (joined by '+' for a zip) or <c>delay</c>.</param>
/// <param name="At">The other dimensions' labels, which the two cells share.</param>
/// <param name="Value">The cell's value in <paramref name="Dimension"/> (a label for labelled blocks).</param>
/// <param name="BaselineValue">The baseline's value there.</param>
internal sealed record Contrast(string Dimension, string Cell, string Baseline, string At, string Value, string BaselineValue, string Metric,
    double Diff, double Ci95, double T, int N);

/// <summary>
/// contrasts.csv: for every cell of a sweep, its paired differences against the cell that differs from it in one sweep
/// dimension only, where that dimension takes its baseline value (its first, or <c>contrasts.baseline</c>; the delay
/// list counts as a dimension). Replicate r of every cell uses the same seeds (common random numbers), so the
/// per-replicate differences are paired and their interval is far narrower than the two cells' intervals suggest.
/// Pairs are the replicates where neither diverged (for <c>diverged</c> itself, all of them: a share difference); the
/// interval is the 95 % t-interval of the mean difference.
/// </summary>
internal static class Contrasts
{
    public const string FileName = "contrasts.csv";
    public const string Header = "dimension,cell,baseline,metric,diff,ci95,t,n";

    static readonly (string Name, Func<ReplicateResult, double> Of)[] Metrics =
    [
        ("gen_gap", r => r.Final.GenGap),
        ("test_loss", r => r.Final.TestLoss),
        ("train_loss", r => r.Final.TrainLoss),
        ("stability_loss", r => r.StabilityLoss),
        ("twin_l2", r => r.Final.TwinL2),
        ("mean_staleness", r => StalenessCounts.Mean(r.StalenessCounts)),
    ];

    /// <summary>Every contrast of the run, by dimension and then in cell order; empty without a sweep and with one delay value (nothing to contrast).</summary>
    public static IReadOnlyList<Contrast> Of(IReadOnlyList<CellOutcome> outcomes, Scenario scenario)
    {
        var sweep = scenario.Sweep;
        var delays = outcomes.Select(o => o.Cell.DelayPart).Distinct().ToArray();
        if (sweep.Count == 0 && delays.Length < 2) return [];
        var baselines = scenario.ContrastBaselines ?? new Dictionary<string, string>();
        var baseDelay = baselines.GetValueOrDefault("delay", delays[0]);
        var bySignature = outcomes.ToDictionary(o => Signature(Values(o), o.Cell.DelayPart));
        // A point with one cell is its own baseline whatever its delay part (a swept delay.kind renames the delay part).
        var byPoint = outcomes.GroupBy(o => Signature(Values(o), "")).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
        var contrasts = new List<Contrast>();
        foreach (var o in outcomes)
        {
            var values = Values(o);
            foreach (var dimension in sweep)
            {
                // The baseline takes the dimension's baseline point on all of its paths (a zip moves them together).
                var point = dimension.Points[BaselineIndex(dimension, baselines)];
                var first = dimension.Paths.Zip(point).ToDictionary(p => p.First, p => p.Second);
                if (dimension.Paths.All(p => values[p] == first[p])) continue;
                var baseline = values.ToDictionary(v => v.Key, v => first.GetValueOrDefault(v.Key, v.Value));
                if (bySignature.TryGetValue(Signature(baseline, o.Cell.DelayPart), out var b) || byPoint.TryGetValue(Signature(baseline, ""), out b))
                    Add(contrasts, o, b, string.Join("+", dimension.Paths), At(o, dimension.Paths.Contains, withDelay: true),
                        string.Join("+", dimension.Paths.Select(p => values[p])), string.Join("+", point));
            }
            if (o.Cell.DelayPart != baseDelay && bySignature.TryGetValue(Signature(values, baseDelay), out var atBaseDelay))
                Add(contrasts, o, atBaseDelay, "delay", At(o, _ => false, withDelay: false), o.Cell.DelayPart, baseDelay);
        }
        // Grouped by dimension (sweep order, the delay list last), cells in plan order within each.
        var order = sweep.Select(d => string.Join("+", d.Paths)).Append("delay").ToList();
        return contrasts.OrderBy(c => order.IndexOf(c.Dimension)).ToArray();
    }

    /// <summary>The file's text, or null when there is nothing to contrast.</summary>
    public static string? Csv(IReadOnlyList<Contrast> contrasts)
    {
        if (contrasts.Count == 0) return null;
        var csv = new Csv(Header.Split(','));
        foreach (var c in contrasts) csv.Row(c.Dimension, c.Cell, c.Baseline, c.Metric, c.Diff, c.Ci95, c.T, c.N);
        return csv.ToString();
    }

    /// <summary>The index of the dimension's baseline point: the one <c>contrasts.baseline</c> names on one of its paths, else the first.</summary>
    static int BaselineIndex(SweepDimension dimension, IReadOnlyDictionary<string, string> baselines)
    {
        for (var i = 0; i < dimension.Paths.Length; i++)
            if (baselines.TryGetValue(dimension.Paths[i], out var value))
                return Math.Max(0, Array.FindIndex(dimension.Points, p => p[i] == value)); // ScenarioReader checked the value
        return 0;
    }

    static string At(CellOutcome o, Func<string, bool> exclude, bool withDelay)
    {
        var labels = o.Cell.Point.LabelsWithout(exclude);
        if (withDelay && !Cell.Unnamed.Contains(o.Cell.DelayPart)) labels = labels.Append(o.Cell.DelayPart);
        return string.Join(";", labels);
    }

    static Dictionary<string, string> Values(CellOutcome o) => o.Cell.Point.Values.ToDictionary(v => v.Path, v => v.Value);

    static string Signature(Dictionary<string, string> values, string delay) =>
        string.Join(";", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")) + "|" + delay;

    static void Add(List<Contrast> contrasts, CellOutcome cell, CellOutcome baseline, string dimension, string at, string value, string baselineValue)
    {
        var all = cell.Replicates.Join(baseline.Replicates, r => r.Index, r => r.Index, (a, b) => (a, b)).ToArray();
        var pairs = all.Where(p => !p.a.Diverged && !p.b.Diverged).ToArray();
        foreach (var (name, of) in Metrics)
            contrasts.Add(Paired(pairs.Select(p => of(p.a) - of(p.b)), name));
        contrasts.Add(Paired(all.Select(p => (p.a.Diverged ? 1.0 : 0) - (p.b.Diverged ? 1 : 0)), "diverged"));

        Contrast Paired(IEnumerable<double> values, string metric)
        {
            var differences = values.Where(double.IsFinite).ToArray();
            var mean = differences.Length > 0 ? differences.Mean() : double.NaN;
            var sd = differences.Length > 1 ? differences.StandardDeviation() : double.NaN;
            return new Contrast(dimension, cell.Cell.Name, baseline.Cell.Name, at, value, baselineValue, metric, mean,
                CellSummary.HalfWidth(differences), sd > 0 ? mean / (sd / Math.Sqrt(differences.Length)) : double.NaN, differences.Length);
        }
    }
}

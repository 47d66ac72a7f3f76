using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace DelaySim.Model.Engine;

/// <summary>
/// One row of summary.csv: a cell's final measurements over its replicates that did not diverge (<see cref="Diverged"/>
/// counts those that did; <see cref="Seeds"/> counts all): means, sample sds and 95 % t-intervals
/// (half-widths) for the gap and for the loss form of average stability, which estimate the same quantity in
/// expectation; <see cref="EstimatorsAgree"/> says whether their per-seed differences are compatible with zero (a
/// paired 95 % t-test; null without twins or with one seed).
/// </summary>
public sealed record CellSummary(
    string Cell,
    string Delay,
    int Tau,
    int N,
    double Eta,
    long Iterations,
    int Seeds,
    double TrainLoss,
    double TestLoss,
    double GenGap,
    double GenGapSd,
    double GenGapCi95,
    double AbsGenGap,
    double PopulationRisk,
    double StabilityL2,
    double StabilityLoss,
    double StabilityLossCi95,
    bool? EstimatorsAgree,
    double MeanStaleness,
    double LambdaMax,
    double StabilityLimit,
    int Diverged)
{
    public static CellSummary From(string cell, CellSpec spec, int n, IReadOnlyList<ReplicateResult> replicates, double lambdaMax)
    {
        // Losses, gaps and stability are over the replicates that did not diverge: an exploded run's numbers would swamp
        // every mean. Diverged counts the others; the staleness counts keep every replicate (the delays happened).
        var stable = replicates.Where(r => !r.Diverged).ToArray();
        var finals = stable.Select(r => r.Final).ToArray();
        var gaps = finals.Select(c => c.GenGap).ToArray();
        var stability = stable.Select(r => r.StabilityLoss).ToArray();
        var counts = StalenessCounts.Merge(replicates.Select(r => r.StalenessCounts));
        var gapCi = HalfWidth(gaps);
        var stabilityCi = HalfWidth(stability);
        var tau = spec.Time is null ? spec.MaxStaleness : StalenessCounts.Max(counts);
        return new CellSummary(
            cell,
            spec.DelayLabel,
            tau,
            n,
            spec.Eta,
            spec.Iterations == int.MaxValue ? replicates.Max(r => r.Final.Iteration) : spec.Iterations,
            replicates.Count,
            finals.Select(c => c.TrainLoss).Mean(),
            finals.Select(c => c.TestLoss).Mean(),
            gaps.Mean(),
            gaps.Length > 1 ? gaps.StandardDeviation() : double.NaN,
            gapCi,
            gaps.Select(Math.Abs).Mean(),
            finals.Select(c => c.PopulationRisk).Mean(),
            finals.Select(c => c.TwinL2).Mean(),
            stability.Mean(),
            stabilityCi,
            Agree(gaps, stability),
            StalenessCounts.Mean(counts),
            lambdaMax,
            Problems.Curvature.StableStepTimesCurvature(tau),
            replicates.Count(r => r.Diverged))
        {
            Steps = ServerSteps(spec, replicates),
            // Under the wait policy nothing is dropped (0): workers wait instead.
            Dropped = spec.Rule is Updates.BoundedStalenessUpdate bounded
                ? bounded.Wait ? 0 : replicates.Select(r => (double)r.StalenessCounts.Skip(bounded.Max + 1).Sum()).Mean()
                : null,
            // Every gradient that reached the server is in the histogram; with one server update per gradient the
            // buffer ends holding the count modulo K (under sum-per-tick K counts ticks, which the histogram does not).
            Held = spec.Rule is Updates.BufferedUpdate buffered && (spec.Time is null || spec.Time.Policy == TimeDomain.ApplyPolicy.Each)
                ? replicates.Select(r => (double)(r.StalenessCounts.Sum() % buffered.Size)).Mean()
                : null,
        };
    }

    /// <summary>Under <c>buffered</c>, the mean over replicates of the gradients still held unapplied at the end; null otherwise or when unknown (sum-per-tick).</summary>
    public double? Held { get; init; }

    /// <summary>Under <c>bounded-staleness</c>, the mean over replicates of the gradients dropped (staler than its max); null otherwise.</summary>
    public double? Dropped { get; init; }

    /// <summary>
    /// In the parameter-server domain, the mean over replicates of the server steps run that applied gradients and of
    /// those that were empty (d &gt; M); null elsewhere. Counting updates, every counted step applies gradients.
    /// </summary>
    public (double Updates, double Empty)? Steps { get; init; }

    static (double, double)? ServerSteps(CellSpec spec, IReadOnlyList<ReplicateResult> replicates)
    {
        if (spec.Time is not { Compute: TimeDomain.FiringSchedule schedule } time) return null;
        var steps = replicates.Select(r => r.Final.Iteration).ToArray();
        var updates = steps.Select(t => time.CountsServerSteps ? schedule.StepsWithGradients(t) : t).ToArray();
        return (updates.Select(u => (double)u).Mean(), steps.Zip(updates, (t, u) => (double)(t - u)).Mean());
    }

    /// <summary>η·λ_max of the cell, to compare with <see cref="StabilityLimit"/> = 2 sin(π / (2(2τ + 1))).</summary>
    public double EtaLambdaMax => Eta * LambdaMax;

    /// <summary>
    /// Paired comparison of the two estimators: gap and loss-form stability come from the same seed, so the 95 %
    /// t-interval of their per-seed difference decides (narrower, and right, unlike combining two independent intervals).
    /// </summary>
    public static bool? Agree(double[] gaps, double[] stability)
    {
        var differences = gaps.Zip(stability, (g, s) => g - s).ToArray();
        var half = HalfWidth(differences);
        return double.IsNaN(half) ? null : Math.Abs(differences.Mean()) <= half;
    }

    /// <summary>Half-width of the 95 % Student-t interval of the mean; NaN with fewer than two values.</summary>
    public static double HalfWidth(double[] values) =>
        values.Length < 2 || values.Any(v => !double.IsFinite(v))
            ? double.NaN
            : TQuantile.Of975(values.Length - 1) * values.StandardDeviation() / Math.Sqrt(values.Length);
}

using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace DelaySim.Model.Engine;

/// <summary>
/// How precise a cell's loss-form stability estimate is, and what would make it usable. Each seed's estimate is the mean
/// of K twin terms, so its variance over seeds is V = σ_b² + σ_w²/K: σ_w² the spread between the twins of one seed (the
/// mean of <see cref="ReplicateResult.StabilityTwinVariance"/>), σ_b² what remains between seeds. More twins shrink only
/// the second part; more seeds shrink both. The 95 % half-width over S seeds is t_{S−1} √(V/S).
/// </summary>
/// <param name="TwinsNeeded">Twins per seed that would bring the half-width to <paramref name="Target"/> × the estimate at these seeds; null when no number would (σ_b² alone is too large) or the twins' spread is unknown.</param>
/// <param name="SeedsNeeded">Seeds that would, at these twins (the interval shrinks as 1/√S).</param>
/// <param name="BetweenTwinShare">σ_w²/K over V: the share of the estimate's variance that more twins would remove; NaN when unknown.</param>
public sealed record StabilityPrecision(double Estimate, double HalfWidth, double Target, int Seeds, int Twins, int? TwinsNeeded, int SeedsNeeded, double BetweenTwinShare)
{
    /// <summary>The half-width as a share of the estimate's size.</summary>
    public double Relative => HalfWidth / Math.Abs(Estimate);

    /// <summary>The interval reaches past zero: the estimate cannot tell the value from 0.</summary>
    public bool WiderThanValue => HalfWidth > Math.Abs(Estimate);

    /// <summary>The sample variance of a seed's twin terms; NaN with fewer than two twins.</summary>
    public static double TwinVariance(double[] terms) => terms.Length < 2 ? double.NaN : terms.Variance();

    /// <summary>The precision of the estimate over <paramref name="replicates"/> (those that did not diverge); null with fewer than two or a zero estimate.</summary>
    public static StabilityPrecision? Of(IReadOnlyList<ReplicateResult> replicates, int twins, double target = 0.2)
    {
        var stable = replicates.Where(r => !r.Diverged && double.IsFinite(r.StabilityLoss)).ToArray();
        if (stable.Length < 2 || twins < 1) return null;
        var estimates = stable.Select(r => r.StabilityLoss).ToArray();
        var (mean, v, s) = (estimates.Mean(), estimates.Variance(), stable.Length);
        if (mean == 0 || !(v > 0)) return null;
        var t = TQuantile.Of975(s - 1);
        var half = t * Math.Sqrt(v / s);
        var wanted = target * Math.Abs(mean);
        var seeds = (int)Math.Min(int.MaxValue, Math.Ceiling(s * Math.Pow(half / wanted, 2)));
        var within = stable.Select(r => r.StabilityTwinVariance).ToArray();
        if (within.Any(w => !double.IsFinite(w))) return new(mean, half, target, s, twins, null, seeds, double.NaN);
        var sigmaW = within.Mean();
        var sigmaB = Math.Max(0, v - sigmaW / twins);
        // Per-seed variance allowed at S seeds: S (wanted / t)²; the twins' part must fit in what σ_b² leaves.
        var room = s * Math.Pow(wanted / t, 2) - sigmaB;
        int? needed = room > 0 ? (int)Math.Min(int.MaxValue, Math.Max(1, Math.Ceiling(sigmaW / room))) : null;
        return new(mean, half, target, s, twins, needed, seeds, Math.Min(1, sigmaW / twins / v));
    }
}

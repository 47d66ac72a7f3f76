using DelaySim.Model.Randomness;

namespace DelaySim.Model.Delays;

/// <summary>
/// A one-dimensional delay distribution with its declared statistics. <see cref="Sample"/> is the fast i.i.d. path;
/// <see cref="InverseCdf"/> is what the Gaussian copula maps through, so a correlated stream keeps this marginal.
/// Parameters are validated on construction with a message that names them (the scenario reader adds the key path).
/// </summary>
public abstract record Marginal
{
    /// <summary>
    /// The largest median delay accepted (10⁶ s, or 10⁶ steps as a staleness): above it a simulation could never
    /// advance (1e308 s is a finite number but no clock passes it) or a sampler would spin.
    /// </summary>
    public const double MaxTypicalDelay = 1e6;

    /// <summary>Throws when the distribution's median exceeds <see cref="MaxTypicalDelay"/>.</summary>
    public void RequireTypicalDelayWithinLimit()
    {
        var median = InverseCdf(0.5);
        Require(median <= MaxTypicalDelay, $"{Label} has a median of {median:G3}, above the {MaxTypicalDelay:G} limit (delays are in seconds, or steps as a staleness; a run could never wait that out)");
    }

    public abstract string Label { get; }
    public abstract double Mean { get; }

    /// <summary>Variance; +∞ where it does not exist (e.g. Pareto with α ≤ 2).</summary>
    public abstract double Variance { get; }

    public virtual bool IsDiscrete => false;

    /// <summary>False where <see cref="InverseCdf"/> is a numerical search; a copula then interpolates a table instead.</summary>
    public virtual bool HasFastInverse => true;

    public abstract double Cdf(double x);

    /// <summary>The smallest x with F(x) ≥ u, for u in (0, 1).</summary>
    public abstract double InverseCdf(double u);

    /// <summary>The x with 1 − F(x) = q: the upper tail, accurate where 1 − q would round to 1.</summary>
    public virtual double InverseSurvival(double q) => InverseCdf(1 - q);

    /// <summary>
    /// F⁻¹(Φ(z)) for a standard normal z: the Gaussian-copula map. Upper-tail values go through the survival function,
    /// so z = 9 maps to the 1 − 10⁻¹⁹ quantile instead of F⁻¹(1) = ∞.
    /// </summary>
    public double FromStandardNormal(double z) =>
        z > 0 ? InverseSurvival(MathNet.Numerics.Distributions.Normal.CDF(0, 1, -z)) : InverseCdf(MathNet.Numerics.Distributions.Normal.CDF(0, 1, z));

    public virtual double Sample(Rng rng) => InverseCdf(OpenUnit(rng));

    public double Quantile(double p) => InverseCdf(p);

    /// <summary>Uniform on the open interval (0, 1), so inverse CDFs never see 0 or 1.</summary>
    protected static double OpenUnit(Rng rng) => ((rng.NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    protected static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}

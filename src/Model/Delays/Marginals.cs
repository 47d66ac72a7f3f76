using MathNet.Numerics.Distributions;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Delays;

/// <summary>Always <paramref name="Value"/>.</summary>
public sealed record ConstantDelay(double Value) : Marginal
{
    public override string Label => $"constant({Value:G6})";
    public override double Mean => Value;
    public override double Variance => 0;
    public override double Cdf(double x) => x >= Value ? 1 : 0;
    public override double InverseCdf(double u) => Value;
    public override double Sample(Rng rng) => Value;
}

/// <summary>Uniform on [<paramref name="Low"/>, <paramref name="High"/>].</summary>
public sealed record UniformDelay : Marginal
{
    public UniformDelay(double low, double high)
    {
        Require(low >= 0 && high >= low, $"uniform needs 0 ≤ low ≤ high (got low = {low}, high = {high})");
        (Low, High) = (low, high);
    }

    public double Low { get; }
    public double High { get; }
    public override string Label => $"uniform({Low:G6}, {High:G6})";
    public override double Mean => (Low + High) / 2;
    public override double Variance => (High - Low) * (High - Low) / 12;
    public override double Cdf(double x) => x >= High ? 1 : x <= Low ? 0 : (x - Low) / (High - Low);
    public override double InverseCdf(double u) => Low + u * (High - Low);
    public override double Sample(Rng rng) => Low + rng.NextUnit() * (High - Low);
}

/// <summary>N(μ, σ²) truncated to [0, ∞) (conditioned, not clipped, so there is no atom at 0).</summary>
public sealed record TruncatedNormalDelay : Marginal
{
    readonly double _p0;

    public TruncatedNormalDelay(double mu, double sigma)
    {
        Require(sigma > 0, $"normal needs sd > 0 (got {sigma})");
        (Mu, Sigma) = (mu, sigma);
        _p0 = Normal.CDF(0, 1, -mu / sigma);
        Require(_p0 < 1 - 1e-12, $"normal(mean {mu}, sd {sigma}) has almost no mass above 0");
    }

    public double Mu { get; }
    public double Sigma { get; }
    public override string Label => $"normal≥0({Mu:G6}, {Sigma:G6})";
    double Lambda => Normal.PDF(0, 1, -Mu / Sigma) / (1 - _p0);
    public override double Mean => Mu + Sigma * Lambda;
    public override double Variance
    {
        get
        {
            var a = -Mu / Sigma;
            return Sigma * Sigma * (1 + a * Lambda - Lambda * Lambda);
        }
    }
    public override double Cdf(double x) => x <= 0 ? 0 : (Normal.CDF(Mu, Sigma, x) - _p0) / (1 - _p0);
    public override double InverseCdf(double u) => Math.Max(0, Normal.InvCDF(Mu, Sigma, _p0 + u * (1 - _p0)));
    public override double InverseSurvival(double q) => Math.Max(0, Mu - Sigma * Normal.InvCDF(0, 1, q * (1 - _p0)));
}

/// <summary>Exponential with the given mean.</summary>
public sealed record ExponentialDelay : Marginal
{
    public ExponentialDelay(double mean)
    {
        Require(mean > 0, $"exponential needs mean > 0 (got {mean})");
        MeanValue = mean;
    }

    public double MeanValue { get; }
    public override string Label => $"exponential(mean {MeanValue:G6})";
    public override double Mean => MeanValue;
    public override double Variance => MeanValue * MeanValue;
    public override double Cdf(double x) => x <= 0 ? 0 : -double.ExpM1(-x / MeanValue);
    public override double InverseCdf(double u) => -MeanValue * Math.Log(1 - u);
    public override double InverseSurvival(double q) => -MeanValue * Math.Log(q);
    public override double Sample(Rng rng) => -MeanValue * Math.Log(OpenUnit(rng));
}

/// <summary>Gamma with shape k and scale θ (mean kθ).</summary>
public sealed record GammaDelay : Marginal
{
    public GammaDelay(double shape, double scale)
    {
        Require(shape > 0 && scale > 0, $"gamma needs shape > 0 and scale > 0 (got {shape}, {scale})");
        // Outside this range the samplers and quantile searches lose their accuracy or stop converging.
        Require(shape is >= 1e-3 and <= 1e6, $"gamma needs a shape between 0.001 and 1e6 (got {shape})");
        (Shape, Scale) = (shape, scale);
    }

    public double Shape { get; }
    public double Scale { get; }
    public override string Label => $"gamma(k {Shape:G6}, θ {Scale:G6})";
    public override double Mean => Shape * Scale;
    public override double Variance => Shape * Scale * Scale;
    public override double Cdf(double x) => x <= 0 ? 0 : Gamma.CDF(Shape, 1 / Scale, x);
    public override double InverseCdf(double u)
    {
        if (u > 0.999) return InverseSurvival(1 - u);
        if (u < 0.1 && LowerTail(u) is var x && x < 0.5) return Scale * x;
        var start = Gamma.InvCDF(Shape, 1 / Scale, u);
        if (!(start > 0) || !double.IsFinite(start)) start = WilsonHilferty(u);
        return Polish(start, u);
    }

    /// <summary>x ≈ kθ(1 − 1/(9k) + z/(3√k))³ with z = Φ⁻¹(u): a start where MathNet's search gives up (large k, tiny u).</summary>
    double WilsonHilferty(double u)
    {
        var z = Normal.InvCDF(0, 1, u);
        var c = 1 - 1 / (9 * Shape) + z / (3 * Math.Sqrt(Shape));
        return Scale * Shape * Math.Max(c * c * c, 1e-3);
    }

    /// <summary>Newton steps on F(x) = u: MathNet's search stops near 1e−6 relative, the copula table wants better.</summary>
    double Polish(double x, double u)
    {
        for (var i = 0; i < 50; i++)
        {
            var density = Gamma.PDF(Shape, 1 / Scale, x);
            if (!(density > 0)) break;
            var next = x - (Gamma.CDF(Shape, 1 / Scale, x) - u) / density;
            if (!double.IsFinite(next)) break;
            next = Math.Max(next, x / 2); // keep the step inside (0, ∞) where F is convex-concave
            var done = Math.Abs(next - x) <= 1e-15 * x;
            x = next;
            if (done) break;
        }
        return x;
    }

    /// <summary>
    /// Lower tail, where MathNet's search loses relative accuracy and returns 0 below about 1e−15: solve
    /// P(k, x) = x^k e^(−x) / Γ(k + 1) · Σ_n x^n / ((k+1)…(k+n)) = u by fixed-point iteration on x (in units of θ).
    /// </summary>
    double LowerTail(double u)
    {
        var logTarget = Math.Log(u) + MathNet.Numerics.SpecialFunctions.GammaLn(Shape + 1);
        var x = Math.Exp(logTarget / Shape);
        for (var iteration = 0; iteration < 200 && x < 0.5; iteration++)
        {
            double sum = 1, term = 1;
            for (var n = 1; n < 60 && term > 1e-17 * sum; n++) sum += term *= x / (Shape + n);
            var next = Math.Exp((logTarget + x - Math.Log(sum)) / Shape);
            var converged = Math.Abs(next - x) <= 1e-15 * x;
            x = next;
            if (converged) break;
        }
        return x;
    }

    /// <summary>MathNet's InvCDF overflows near 1, so the upper tail is found by bisection on Q(k, x/θ) = q.</summary>
    public override double InverseSurvival(double q)
    {
        if (q >= 0.001) return Polish(Gamma.InvCDF(Shape, 1 / Scale, 1 - q), 1 - q);
        double lo = Gamma.InvCDF(Shape, 1 / Scale, 0.999), hi = 2 * lo;
        while (MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(Shape, hi / Scale) > q) (lo, hi) = (hi, 2 * hi);
        for (var i = 0; i < 200 && hi - lo > 1e-14 * hi; i++)
        {
            var mid = (lo + hi) / 2;
            if (MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(Shape, mid / Scale) > q) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }
    /// <summary>Marsaglia–Tsang (2000) on our own normal and uniform draws; k &lt; 1 via Gamma(k + 1)·U^(1/k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Sample(Rng rng)
    {
        var k = Shape < 1 ? Shape + 1 : Shape;
        var d = k - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        double v;
        while (true)
        {
            var x = rng.NextGaussian();
            v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            var u = OpenUnit(rng);
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) break;
        }
        var draw = d * v * Scale;
        return Shape < 1 ? draw * Math.Pow(OpenUnit(rng), 1 / Shape) : draw;
    }

    public override bool HasFastInverse => false;
}

/// <summary>Log-normal: log X ~ N(μ, σ²).</summary>
public sealed record LogNormalDelay : Marginal
{
    public LogNormalDelay(double mu, double sigma)
    {
        Require(sigma > 0, $"lognormal needs sigma > 0 (got {sigma})");
        Require(sigma <= 10, $"lognormal needs sigma ≤ 10 (got {sigma}; beyond it one draw in a million overflows)");
        (Mu, Sigma) = (mu, sigma);
    }

    public double Mu { get; }
    public double Sigma { get; }
    public override string Label => $"lognormal(μ {Mu:G6}, σ {Sigma:G6})";
    public override double Mean => Math.Exp(Mu + Sigma * Sigma / 2);
    public override double Variance => double.ExpM1(Sigma * Sigma) * Math.Exp(2 * Mu + Sigma * Sigma);
    public override double Cdf(double x) => x <= 0 ? 0 : Normal.CDF(Mu, Sigma, Math.Log(x));
    public override double InverseCdf(double u) => Math.Exp(Normal.InvCDF(Mu, Sigma, u));
    public override double InverseSurvival(double q) => Math.Exp(Mu - Sigma * Normal.InvCDF(0, 1, q));
    public override double Sample(Rng rng) => Math.Exp(Mu + Sigma * rng.NextGaussian());
}

/// <summary>Weibull with shape k and scale λ.</summary>
public sealed record WeibullDelay : Marginal
{
    public WeibullDelay(double shape, double scale)
    {
        Require(shape > 0 && scale > 0, $"weibull needs shape > 0 and scale > 0 (got {shape}, {scale})");
        Require(shape is >= 0.05 and <= 1e4, $"weibull needs a shape between 0.05 and 1e4 (got {shape})");
        (Shape, Scale) = (shape, scale);
    }

    public double Shape { get; }
    public double Scale { get; }
    public override string Label => $"weibull(k {Shape:G6}, λ {Scale:G6})";
    public override double Mean => Scale * MathNet.Numerics.SpecialFunctions.Gamma(1 + 1 / Shape);
    public override double Variance =>
        Scale * Scale * MathNet.Numerics.SpecialFunctions.Gamma(1 + 2 / Shape) - Mean * Mean;
    public override double Cdf(double x) => x <= 0 ? 0 : -double.ExpM1(-Math.Pow(x / Scale, Shape));
    public override double InverseCdf(double u) => Scale * Math.Pow(-Math.Log(1 - u), 1 / Shape);
    public override double InverseSurvival(double q) => Scale * Math.Pow(-Math.Log(q), 1 / Shape);
}

/// <summary>Shifted Pareto: shift + X with X ~ Pareto(scale x_m, shape α), support [shift + x_m, ∞).</summary>
public sealed record ParetoDelay : Marginal
{
    public ParetoDelay(double shape, double scale, double shift = 0)
    {
        Require(shape > 0 && scale > 0, $"pareto needs shape > 0 and scale > 0 (got {shape}, {scale})");
        Require(shape >= 0.1, $"pareto needs a shape of at least 0.1 (got {shape}; below it draws overflow to infinity)");
        Require(shift + scale >= 0, $"pareto support starts at shift + scale = {shift + scale}, which is negative");
        (Shape, Scale, Shift) = (shape, scale, shift);
    }

    public double Shape { get; }
    public double Scale { get; }
    public double Shift { get; }
    public override string Label => $"pareto(α {Shape:G6}, x_m {Scale:G6}, shift {Shift:G6})";
    public override double Mean => Shape > 1 ? Shift + Shape * Scale / (Shape - 1) : double.PositiveInfinity;
    public override double Variance => Shape > 2 ? Scale * Scale * Shape / ((Shape - 1) * (Shape - 1) * (Shape - 2)) : double.PositiveInfinity;
    public override double Cdf(double x) => x <= Shift + Scale ? 0 : 1 - Math.Pow(Scale / (x - Shift), Shape);
    public override double InverseCdf(double u) => Shift + Scale * Math.Pow(1 - u, -1 / Shape);
    public override double InverseSurvival(double q) => Shift + Scale * Math.Pow(q, -1 / Shape);
}

/// <summary>Geometric on {0, 1, 2, …}: failures before the first success, success probability p; mean (1 − p)/p.</summary>
public sealed record GeometricDelay : Marginal
{
    public GeometricDelay(double p)
    {
        Require(p >= 1e-9 && p <= 1, $"geometric needs 1e-9 ≤ p ≤ 1 (got {p})");
        P = p;
    }

    public double P { get; }
    public override bool IsDiscrete => true;
    public override string Label => $"geometric(p {P:G6})";
    public override double Mean => (1 - P) / P;
    public override double Variance => (1 - P) / (P * P);
    public override double Cdf(double x) => x < 0 ? 0 : 1 - Math.Pow(1 - P, Math.Floor(x) + 1);
    public override double InverseCdf(double u) => InverseSurvival(1 - u);
    public override double InverseSurvival(double q) => P == 1 ? 0 : Math.Max(0, Math.Ceiling(Math.Log(q) / Math.Log(1 - P) - 1));
}

/// <summary>Poisson with mean λ.</summary>
public sealed record PoissonDelay : Marginal
{
    public PoissonDelay(double lambda)
    {
        Require(lambda > 0, $"poisson needs mean > 0 (got {lambda})");
        Require(lambda <= MaxTypicalDelay, $"poisson needs a mean of at most {MaxTypicalDelay:G} (got {lambda})");
        Lambda = lambda;
    }

    public double Lambda { get; }
    public override bool IsDiscrete => true;
    public override string Label => $"poisson(λ {Lambda:G6})";
    public override double Mean => Lambda;
    public override double Variance => Lambda;
    public override double Cdf(double x) => x < 0 ? 0 : Poisson.CDF(Lambda, Math.Floor(x));
    public override double Sample(Rng rng) => Poisson.Sample(rng, Lambda);

    public override double InverseCdf(double u) => u > 0.5 ? InverseSurvival(1 - u) : Search(u, k => Cdf(k) >= u, Normal.InvCDF(0, 1, u));

    /// <summary>Smallest k with P(X &gt; k) ≤ q, using P(X &gt; k) = P(k + 1, λ) (regularised lower gamma), exact in the far tail.</summary>
    public override double InverseSurvival(double q) =>
        Search(1 - q, k => MathNet.Numerics.SpecialFunctions.GammaLowerRegularized(k + 1, Lambda) <= q, -Normal.InvCDF(0, 1, q));

    /// <summary>Starts near the normal approximation λ + √λ·z, then walks to the smallest k that satisfies <paramref name="done"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    double Search(double u, Func<double, bool> done, double z)
    {
        var k = Math.Max(0, Math.Floor(Lambda + Math.Sqrt(Lambda) * z) - 1);
        while (k > 0 && done(k - 1)) k--;
        while (!done(k)) k++;
        return k;
    }
}

/// <summary>
/// The empirical distribution of a table of values (each equally likely), or, with <paramref name="probabilities"/>,
/// a quantile table (p_i, q_i) interpolated linearly between its points.
/// </summary>
public sealed record EmpiricalDelay : Marginal
{
    readonly double[] _values;
    readonly double[]? _probabilities;

    public EmpiricalDelay(IReadOnlyList<double> values, IReadOnlyList<double>? probabilities = null)
    {
        Require(values.Count > 0, "empirical needs at least one value");
        Require(values.All(v => v >= 0 && double.IsFinite(v)), "empirical values must be finite and ≥ 0");
        if (probabilities is null)
        {
            _values = values.Order().ToArray();
            return;
        }
        Require(probabilities.Count == values.Count && values.Count >= 2, "a quantile table needs as many probabilities as values, at least two");
        Require(probabilities[0] == 0 && probabilities[^1] == 1, "a quantile table must start at p = 0 and end at p = 1");
        for (var i = 1; i < values.Count; i++)
            Require(probabilities[i] > probabilities[i - 1] && values[i] >= values[i - 1], "quantile table probabilities must increase and values must not decrease");
        _values = values.ToArray();
        _probabilities = probabilities.ToArray();
    }

    /// <summary>The values, sorted (a table of equally likely values) or as given (a quantile table).</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>The quantile table's probabilities, or null for equally likely values.</summary>
    public IReadOnlyList<double>? Probabilities => _probabilities;

    public override string Label => _probabilities is null ? $"empirical({_values.Length} values)" : $"quantiles({_values.Length} points)";
    public override bool IsDiscrete => _probabilities is null;

    public override double Mean => _probabilities is null ? _values.Average() : Integrate(v => v);

    public override double Variance
    {
        get
        {
            var mean = Mean;
            return _probabilities is null
                ? _values.Select(v => (v - mean) * (v - mean)).Average()
                : Integrate(v => v * v) - mean * mean;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Cdf(double x)
    {
        if (_probabilities is null)
        {
            var count = 0;
            while (count < _values.Length && _values[count] <= x) count++;
            return (double)count / _values.Length;
        }
        if (x < _values[0]) return 0;
        if (x >= _values[^1]) return 1;
        var i = 1;
        while (_values[i] <= x) i++;
        var width = _values[i] - _values[i - 1];
        return width == 0 ? _probabilities[i] : _probabilities[i - 1] + (x - _values[i - 1]) / width * (_probabilities[i] - _probabilities[i - 1]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double InverseCdf(double u)
    {
        if (_probabilities is null) return _values[Math.Clamp((int)Math.Ceiling(u * _values.Length) - 1, 0, _values.Length - 1)];
        var i = 1;
        while (i < _probabilities.Length - 1 && _probabilities[i] < u) i++;
        var t = (u - _probabilities[i - 1]) / (_probabilities[i] - _probabilities[i - 1]);
        return _values[i - 1] + t * (_values[i] - _values[i - 1]);
    }

    public override double Sample(Rng rng) => _probabilities is null ? _values[rng.NextIndex(_values.Length)] : InverseCdf(OpenUnit(rng));

    /// <summary>∫ g(q(p)) dp over the piecewise-linear quantile function (exact for polynomials up to degree 3 per piece).</summary>
    double Integrate(Func<double, double> g)
    {
        var sum = 0.0;
        for (var i = 1; i < _values.Length; i++)
        {
            var dp = _probabilities![i] - _probabilities[i - 1];
            var (a, b) = (_values[i - 1], _values[i]);
            sum += dp * (g(a) + 4 * g((a + b) / 2) + g(b)) / 6;
        }
        return sum;
    }
}

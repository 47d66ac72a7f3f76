using DelaySim.Model.Delays;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using MathNet.Numerics.Statistics;

namespace DelaySim.Model.Fitting;

/// <summary>One family fitted to a sample: its maximum-likelihood marginal, or why it could not be fitted.</summary>
/// <param name="Parameters">Free parameters, for AIC = 2k − 2 ln L.</param>
public sealed record FamilyFit(string Family, Marginal? Marginal, int Parameters, double LogLikelihood, string? Failure = null)
{
    public double Aic => Marginal is null ? double.PositiveInfinity : 2 * Parameters - 2 * LogLikelihood;
}

/// <summary>How well a fitted marginal matches the sample.</summary>
/// <param name="Ks">Kolmogorov–Smirnov distance sup |F_n − F| (over the integers for integer data).</param>
/// <param name="QuantileErrors">(model − sample) / sample at p = 0.5, 0.9, 0.99.</param>
public sealed record FitQuality(double Ks, IReadOnlyList<(double P, double Sample, double Model)> Quantiles)
{
    public static readonly double[] Levels = [0.5, 0.9, 0.99];
}

/// <summary>
/// Maximum-likelihood fits of every family of the library to one sample, chosen by AIC. Continuous data use the
/// families' densities (MathNet's <c>PDFLn</c>); integer data (a staleness trace) use the probabilities the staleness
/// domain gives each integer, P(k) = F(k + ½) − F(k − ½) for a continuous family (it rounds a draw half away from zero)
/// and the mass function of geometric and Poisson. Every likelihood is maximised by MathNet's Nelder–Mead simplex on
/// unconstrained parameters (log scales), started from the moment or closed-form estimates; exponential, lognormal,
/// Poisson and geometric have closed-form MLEs on continuous data, which the simplex reproduces.
/// </summary>
public static class MarginalFit
{
    /// <summary>
    /// Whether to read a sample as staleness steps: whole numbers below 1,000 (a staleness of more is rare, while
    /// compute times written in whole milliseconds are common and are continuous data).
    /// </summary>
    public static bool LooksLikeSteps(IReadOnlyList<double> x) => x.All(v => v == Math.Floor(v) && v < 1000);

    /// <summary>The least log-likelihood one observation can add: a value a family cannot produce costs ln 10⁻³⁰⁰ instead of ruling the family out.</summary>
    public const double FloorLogLikelihood = -690.7755278982137;

    public static IReadOnlyList<FamilyFit> All(IReadOnlyList<double> sample, bool integer)
    {
        if (sample.Count < 10) throw new BadInputException($"a fit needs at least 10 values (got {sample.Count})");
        var x = sample.ToArray();
        if (integer && !x.All(v => v == Math.Floor(v) && v >= 0)) throw new BadInputException("staleness steps must be whole numbers ≥ 0");
        var fits = new List<FamilyFit>();
        var ones = Enumerable.Repeat(1.0, x.Length).ToArray();
        foreach (var family in Families(x, ones))
            fits.Add(Fit(family, x, ones, integer));
        if (integer)
        {
            var mean = x.Average();
            fits.Add(Closed("geometric", new GeometricDelay(1 / (1 + mean)), 1, x));
            if (mean > 0) fits.Add(Closed("poisson", new PoissonDelay(mean), 1, x));
        }
        return fits.OrderBy(f => f.Aic).ThenBy(f => f.Family, StringComparer.Ordinal).ToArray();
    }

    /// <summary>A family: its name, a start in unconstrained coordinates, the marginal of a point, and its log density.</summary>
    sealed record Family(string Name, double[] Start, Func<double[], Marginal> Build, Func<double[], double, double> LogDensity, int Parameters);

    /// <summary>The families with starts from the weighted moments of the sample (weights: a regime's posterior, or 1).</summary>
    static IEnumerable<Family> Families(double[] x, double[] w)
    {
        var total = w.Sum();
        var mean = Math.Max(x.Zip(w).Sum(p => p.First * p.Second) / total, 1e-12);
        var variance = Math.Max(x.Zip(w).Sum(p => p.Second * (p.First - mean) * (p.First - mean)) / total, 1e-24);
        var positive = x.Zip(w).Where(p => p.First > 0 && p.Second > 1e-9).DefaultIfEmpty((0.5, 1.0)).ToArray();
        var positiveWeight = positive.Sum(p => p.Item2);
        var logMean = positive.Sum(p => p.Item2 * Math.Log(p.Item1)) / positiveWeight;
        var logSd = Math.Max(Math.Sqrt(positive.Sum(p => p.Item2 * Math.Pow(Math.Log(p.Item1) - logMean, 2)) / positiveWeight), 1e-6);
        var cv = Math.Sqrt(variance) / mean;
        var weibullShape = Math.Clamp(1.2 / Math.Max(cv, 1e-3), 0.1, 100);
        var xMin = positive.Min(p => p.Item1);
        var paretoShape = positiveWeight / positive.Sum(p => p.Item2 * Math.Log(p.Item1 / xMin));

        yield return new("exponential", [Math.Log(mean)], t => new ExponentialDelay(Math.Exp(t[0])),
            (t, v) => Exponential.PDFLn(Math.Exp(-t[0]), v), 1);
        yield return new("gamma", [Math.Log(mean * mean / variance), Math.Log(variance / mean)], t => new GammaDelay(Math.Exp(t[0]), Math.Exp(t[1])),
            (t, v) => Gamma.PDFLn(Math.Exp(t[0]), Math.Exp(-t[1]), v), 2);
        yield return new("lognormal", [logMean, Math.Log(logSd)], t => new LogNormalDelay(t[0], Math.Exp(t[1])),
            (t, v) => LogNormal.PDFLn(t[0], Math.Exp(t[1]), v), 2);
        yield return new("weibull", [Math.Log(weibullShape), Math.Log(mean / MathNet.Numerics.SpecialFunctions.Gamma(1 + 1 / weibullShape))],
            t => new WeibullDelay(Math.Exp(t[0]), Math.Exp(t[1])), (t, v) => Weibull.PDFLn(Math.Exp(t[0]), Math.Exp(t[1]), v), 2);
        yield return new("normal", [mean, Math.Log(Math.Sqrt(variance))], t => new TruncatedNormalDelay(t[0], Math.Exp(t[1])),
            (t, v) => v < 0 ? double.NegativeInfinity : Normal.PDFLn(t[0], Math.Exp(t[1]), v) - Math.Log(Normal.CDF(0, 1, t[0] / Math.Exp(t[1]))), 2);
        // Pareto's scale MLE is the sample minimum; only the shape is searched (both count for AIC).
        yield return new("pareto", [Math.Log(Math.Max(0.1, double.IsFinite(paretoShape) ? paretoShape : 1))],
            t => new ParetoDelay(Math.Exp(t[0]), xMin), (t, v) => Pareto.PDFLn(xMin, Math.Exp(t[0]), v), 2);
    }

    /// <summary>The families with a density and a weighted fit (the discrete geometric and Poisson have neither here).</summary>
    public static readonly IReadOnlySet<string> Continuous = new HashSet<string> { "exponential", "gamma", "lognormal", "weibull", "normal", "pareto" };

    /// <summary>The weighted maximum-likelihood fit of one named family: a regime's marginal in the EM of <see cref="RegimeFit"/>.</summary>
    public static FamilyFit FitWeighted(string family, double[] x, double[] weights, bool steps) =>
        Fit(Families(x, weights).Single(f => f.Name == family), x, weights, steps, maxIterations: 400);

    static FamilyFit Fit(Family family, double[] x, double[] weights, bool integer, int maxIterations = 4000)
    {
        // Integer data: the log-likelihood of the (weighted) counts of each value, through the family's CDF.
        var counts = integer ? x.Zip(weights).GroupBy(p => p.First).Select(g => (Value: g.Key, Count: g.Sum(p => p.Second))).ToArray() : null;
        double LogLikelihood(double[] t)
        {
            Marginal m;
            try
            {
                m = family.Build(t);
            }
            catch (ArgumentException)
            {
                return double.NegativeInfinity;
            }
            if (counts is not null)
                return counts.Sum(c => c.Count * Math.Max(FloorLogLikelihood, Math.Log(m.Cdf(c.Value + 0.5) - (c.Value == 0 ? 0 : m.Cdf(c.Value - 0.5)))));
            var sum = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                if (weights[i] == 0) continue;
                var l = family.LogDensity(t, x[i]);
                sum += weights[i] * (double.IsNaN(l) ? double.NegativeInfinity : Math.Max(FloorLogLikelihood, l));
            }
            return sum;
        }

        // The best point seen is kept, so a search that runs out of evaluations (MathNet counts evaluations, not
        // iterations) still returns its best estimate rather than nothing.
        var best = family.Start;
        var bestValue = double.PositiveInfinity;
        try
        {
            var objective = ObjectiveFunction.Value(v =>
            {
                var t = v.ToArray();
                var value = LogLikelihood(t) is var l && double.IsFinite(l) ? -l : 1e300;
                if (value < bestValue) (best, bestValue) = (t, value);
                return value;
            });
            NelderMeadSimplex.Minimum(objective, Vector<double>.Build.DenseOfArray(family.Start), 1e-10, maxIterations);
        }
        catch (MaximumIterationsException)
        {
            // keep the best point seen
        }
        catch (Exception e) when (e is ArgumentException or MathNet.Numerics.NonConvergenceException)
        {
            return new(family.Name, null, family.Parameters, double.NegativeInfinity, e.Message);
        }
        {
            var ll = LogLikelihood(best);
            if (!double.IsFinite(ll)) return new(family.Name, null, family.Parameters, ll, integer ? "zero probability for some value" : "zero density for some value (e.g. a delay of 0)");
            return new(family.Name, family.Build(best), family.Parameters, ll);
        }
    }

    /// <summary>
    /// log p(v) under <paramref name="m"/>: its density for continuous data, the probability of the integer for steps
    /// (floored at <see cref="FloorLogLikelihood"/>): the emission term of <see cref="RegimeFit"/>'s forward pass.
    /// </summary>
    public static double LogLikelihood(Marginal m, double v, bool steps)
    {
        double l;
        if (steps)
            l = m.IsDiscrete ? Math.Log(m.Cdf(v) - (v == 0 ? 0 : m.Cdf(v - 1))) : Math.Log(m.Cdf(v + 0.5) - (v == 0 ? 0 : m.Cdf(v - 0.5)));
        else
            l = m switch
            {
                ExponentialDelay e => Exponential.PDFLn(1 / e.Mean, v),
                GammaDelay g => Gamma.PDFLn(g.Shape, 1 / g.Scale, v),
                LogNormalDelay n => LogNormal.PDFLn(n.Mu, n.Sigma, v),
                WeibullDelay w => Weibull.PDFLn(w.Shape, w.Scale, v),
                TruncatedNormalDelay n => v < 0 ? double.NegativeInfinity : Normal.PDFLn(n.Mu, n.Sigma, v) - Math.Log(Normal.CDF(0, 1, n.Mu / n.Sigma)),
                ParetoDelay p when p.Shift == 0 => Pareto.PDFLn(p.Scale, p.Shape, v),
                _ => throw new ArgumentException($"no density for {m.Label}"),
            };
        return double.IsNaN(l) ? FloorLogLikelihood : Math.Max(FloorLogLikelihood, l);
    }

    static FamilyFit Closed(string name, Marginal m, int parameters, double[] x)
    {
        var ll = x.GroupBy(v => v).Sum(g => g.Count() * Math.Max(FloorLogLikelihood, Math.Log(m.Cdf(g.Key) - (g.Key == 0 ? 0 : m.Cdf(g.Key - 1)))));
        return double.IsFinite(ll) ? new(name, m, parameters, ll) : new(name, null, parameters, ll, "zero probability for some value");
    }

    /// <summary>KS distance and quantiles of <paramref name="m"/> against the sample (integer data: of the rounded draw).</summary>
    public static FitQuality Quality(Marginal m, IReadOnlyList<double> sample, bool integer)
    {
        var sorted = sample.Order().ToArray();
        var n = sorted.Length;
        double ModelCdf(double v) => integer && !m.IsDiscrete ? m.Cdf(v + 0.5) : m.Cdf(v);
        var ks = 0.0;
        if (integer)
        {
            foreach (var g in sorted.Select((v, i) => (v, i)).GroupBy(p => p.v))
                ks = Math.Max(ks, Math.Abs((g.Max(p => p.i) + 1.0) / n - ModelCdf(g.Key)));
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                var f = m.Cdf(sorted[i]);
                ks = Math.Max(ks, Math.Max((i + 1.0) / n - f, f - (double)i / n));
            }
        }
        var quantiles = FitQuality.Levels.Select(p =>
        {
            var model = m.InverseCdf(p);
            return (p, SortedArrayStatistics.Quantile(sorted, p), integer && !m.IsDiscrete ? Math.Round(model, MidpointRounding.AwayFromZero) : model);
        }).ToArray();
        return new FitQuality(ks, quantiles);
    }

    /// <summary>
    /// The fallback when no family fits: the sample's quantile table at p = 0, 0.01, …, 1 (0.001 apart from 10,000 values on), or for steps its exact
    /// probabilities, as a table that is flat at each value over its share of (0, 1) (it rises between two values over
    /// 10⁻⁹, so a draw is that value with probability 1 − 10⁻⁹ or more).
    /// </summary>
    public static EmpiricalDelay QuantileTable(IReadOnlyList<double> sample, bool steps)
    {
        var sorted = sample.Order().ToArray();
        if (steps)
        {
            var points = new List<(double P, double Q)>();
            var below = 0;
            foreach (var g in sorted.GroupBy(v => v))
            {
                var from = (double)below / sorted.Length;
                below += g.Count();
                points.Add((points.Count == 0 ? 0 : from + 1e-9, g.Key));
                points.Add((below == sorted.Length ? 1 : (double)below / sorted.Length, g.Key));
            }
            if (points.Count == 2) points[0] = (0, points[0].Q);
            return new EmpiricalDelay(points.Select(p => p.Q).ToArray(), points.Select(p => p.P).ToArray());
        }
        // 101 points, or 1,001 from 10,000 values on, so that the tails are not one long straight segment.
        var intervals = sorted.Length >= 10_000 ? 1000 : 100;
        var p = Enumerable.Range(0, intervals + 1).Select(i => (double)i / intervals).ToArray();
        var q = p.Select(pi => SortedArrayStatistics.Quantile(sorted, pi)).ToArray();
        for (var i = 1; i < q.Length; i++) q[i] = Math.Max(q[i], q[i - 1]);
        return new EmpiricalDelay(q, p);
    }
}

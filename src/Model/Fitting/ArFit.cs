using DelaySim.Model.Delays;
using MathNet.Numerics.Distributions;

namespace DelaySim.Model.Fitting;

/// <summary>An AR(p) fit of the latent Gaussian series: coefficients φ₁…φ_p, innovation variance and AIC of each order.</summary>
public sealed record ArModel(double[] Coefficients, double InnovationVariance, IReadOnlyList<(int Order, double Aic)> Orders)
{
    public int Order => Coefficients.Length;
}

/// <summary>
/// The temporal correlation of a delay stream as the copula model the library samples: map each value to its normal
/// score z = Φ⁻¹(F(x)) through the chosen marginal (integer data: the middle of its probability step), estimate the
/// autocorrelations of z pooled over the streams (each stream's own mean removed), solve Yule–Walker by
/// Levinson–Durbin for p = 0 … 5, and keep the order with the lowest Gaussian AIC, n ln σ²_p + 2p.
/// </summary>
public static class ArFit
{
    public const int MaxOrder = 5;

    public static double[] NormalScores(Marginal m, IReadOnlyList<double> x, bool integer)
    {
        var z = new double[x.Count];
        for (var i = 0; i < z.Length; i++)
        {
            var v = x[i];
            var u = integer && !m.IsDiscrete ? 0.5 * (m.Cdf(v - 0.5) + m.Cdf(v + 0.5))
                : integer ? 0.5 * (m.Cdf(v - 1) + m.Cdf(v))
                : m.Cdf(v);
            z[i] = Normal.InvCDF(0, 1, Math.Clamp(u, 1e-9, 1 - 1e-9));
        }
        return z;
    }

    public static ArModel Fit(IReadOnlyList<double[]> streams, int maxOrder = MaxOrder)
    {
        var n = streams.Sum(s => s.Length);
        var acf = new[] { 1.0 }.Concat(Acf(streams, maxOrder)).ToArray();
        if (streams.All(s => s.Distinct().Count() < 2)) return new ArModel([], 0, [(0, 0)]);

        // Levinson–Durbin: φ for each order from the previous one.
        var orders = new List<(int, double)> { (0, 0) };
        var best = (Aic: 0.0, Phi: Array.Empty<double>(), Variance: 1.0);
        var phi = Array.Empty<double>();
        var variance = 1.0;
        for (var p = 1; p <= maxOrder; p++)
        {
            var k = (acf[p] - Enumerable.Range(1, p - 1).Sum(j => phi[j - 1] * acf[p - j])) / variance;
            if (!(Math.Abs(k) < 1)) break;
            var next = new double[p];
            for (var j = 1; j < p; j++) next[j - 1] = phi[j - 1] - k * phi[p - j - 1];
            next[p - 1] = k;
            phi = next;
            variance *= 1 - k * k;
            var aic = n * Math.Log(variance) + 2 * p;
            orders.Add((p, aic));
            if (aic < best.Aic) best = (aic, phi, variance);
        }
        return new ArModel(best.Phi, best.Variance, orders);
    }

    /// <summary>Sample autocorrelations at lags 1 … <paramref name="lags"/>, pooled over streams as in <see cref="Fit"/>.</summary>
    public static double[] Acf(IReadOnlyList<double[]> streams, int lags)
    {
        var acf = new double[lags + 1];
        foreach (var s in streams)
        {
            var mean = s.Average();
            for (var lag = 0; lag <= lags; lag++)
                for (var t = lag; t < s.Length; t++)
                    acf[lag] += (s[t] - mean) * (s[t - lag] - mean);
        }
        return acf[0] > 0 ? acf.Skip(1).Select(a => a / acf[0]).ToArray() : new double[lags];
    }

    /// <summary>The mean Pearson correlation over pairs of streams at equal index (their common length, at least 10); NaN without a pair.</summary>
    public static double MeanPairwiseCorrelation(IReadOnlyList<double[]> streams)
    {
        var pairs = new List<double>();
        for (var a = 0; a < streams.Count; a++)
            for (var b = a + 1; b < streams.Count; b++)
            {
                var n = Math.Min(streams[a].Length, streams[b].Length);
                if (n >= 10 && MathNet.Numerics.Statistics.Correlation.Pearson(streams[a].Take(n), streams[b].Take(n)) is var r && double.IsFinite(r)) pairs.Add(r);
            }
        return pairs.Count == 0 ? double.NaN : pairs.Average();
    }
}

using MathNet.Numerics.Statistics;

namespace DelaySim.Model.Delays;

/// <summary>Realized statistics of one stream from a long sample, next to what the model declares.</summary>
public sealed record StreamCheck(string Stream, DeclaredStatistics Declared, double Mean, double Sd, double P50, double P95, double P99, double Max, double[] Acf, double CrossCorrelation, double Ks, double[] Sample);

/// <summary>
/// Draws a long sample from every worker's stream of a model and measures it. Message k of each stream is sent at
/// virtual time k·0.618…·μ (an irrational multiple of the mean delay, so periodic shapes see every phase).
/// </summary>
public static class DelayCheck
{
    public static IReadOnlyList<StreamCheck> Run(DelayModel model, string name, int workers, int samples, ulong seed)
    {
        if (samples < 10) throw new ArgumentOutOfRangeException(nameof(samples), "need at least 10 samples");
        var streams = model.Open(seed, name, workers);
        var declaredMean = model.Declared(seed, 0, workers).Mean;
        var spacing = 0.6180339887498949 * (double.IsFinite(declaredMean) && declaredMean > 0 ? declaredMean : 1);
        var draws = new double[workers][];
        for (var m = 0; m < workers; m++) draws[m] = new double[samples];
        for (var k = 0; k < samples; k++)
            for (var m = 0; m < workers; m++)
                draws[m][k] = streams[m].Next(k * spacing);

        return Enumerable.Range(0, workers).Select(m =>
        {
            var x = draws[m];
            var sorted = x.Order().ToArray();
            var declared = model.Declared(seed, m, workers);
            var xcorr = workers > 1
                ? Enumerable.Range(0, workers).Where(o => o != m).Select(o => Correlate(x, draws[o])).Average()
                : double.NaN;
            var ks = declared.Cdf is { } cdf ? KolmogorovSmirnov(sorted, cdf) : double.NaN;
            return new StreamCheck(workers == 1 ? name : $"{name}/{m}", declared, x.Mean(), x.StandardDeviation(),
                SortedArrayStatistics.Quantile(sorted, 0.5), SortedArrayStatistics.Quantile(sorted, 0.95),
                SortedArrayStatistics.Quantile(sorted, 0.99), sorted[^1],
                Enumerable.Range(1, DeclaredStatistics.Lags).Select(lag => Autocorrelation(x, lag)).ToArray(), xcorr, ks, x);
        }).ToArray();
    }

    /// <summary>Sample autocorrelation at <paramref name="lag"/> (the usual biased estimator, as in every textbook ACF plot).</summary>
    public static double Autocorrelation(double[] x, int lag)
    {
        var mean = x.Mean();
        double numerator = 0, denominator = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var d = x[i] - mean;
            denominator += d * d;
            if (i + lag < x.Length) numerator += d * (x[i + lag] - mean);
        }
        return denominator == 0 ? double.NaN : numerator / denominator;
    }

    static double Correlate(double[] a, double[] b)
    {
        var r = Correlation.Pearson(a, b);
        return double.IsFinite(r) ? r : double.NaN;
    }

    /// <summary>sup_x |F_n(x) − F(x)| over a sorted sample; for discrete F both sides of each jump are checked.</summary>
    public static double KolmogorovSmirnov(double[] sorted, Func<double, double> cdf)
    {
        var n = sorted.Length;
        var d = 0.0;
        for (var i = 0; i < n; i++)
        {
            var f = cdf(sorted[i]);
            // F_n just before and at x_i (ties: jump to the last index with the same value).
            var j = i;
            while (j + 1 < n && sorted[j + 1] == sorted[i]) j++;
            d = Math.Max(d, Math.Max(Math.Abs(f - (double)(j + 1) / n), Math.Abs(cdf(Math.BitDecrement(sorted[i])) - (double)i / n)));
            i = j;
        }
        return d;
    }
}

using System.Globalization;
using DelaySim.Model.Delays;
using DelaySim.Model.Fitting;
using MathNet.Numerics.Statistics;
using Spectre.Console;

namespace DelaySim.Host.Commands;

/// <summary>
/// <c>delays MODEL --against TRACE</c>: a model's draws next to a measured trace, pooled over workers: mean, sd,
/// quantiles, acf at lags 1–5, the mean cross-worker correlation at equal index, and the two-sample KS distance.
/// </summary>
internal static class TraceComparison
{
    /// <summary>A trace of staleness steps is compared with draws rounded as the staleness domain rounds them.</summary>
    static bool Steps(IReadOnlyDictionary<int, double[]> trace) => MarginalFit.LooksLikeSteps(trace.Values.SelectMany(v => v).ToArray());

    /// <summary>The model's draws per worker, rounded to steps when the trace holds steps.</summary>
    public static double[][] Samples(IReadOnlyList<StreamCheck> checks, IReadOnlyDictionary<int, double[]> trace) => Steps(trace)
        ? checks.Select(c => c.Sample.Select(x => Math.Round(x, MidpointRounding.AwayFromZero)).ToArray()).ToArray()
        : checks.Select(c => c.Sample).ToArray();

    public static IEnumerable<(string Statistic, double Model, double Trace)> Rows(IReadOnlyList<StreamCheck> checks, IReadOnlyDictionary<int, double[]> trace)
    {
        var streams = trace.OrderBy(t => t.Key).Select(t => t.Value).ToArray();
        var measured = streams.SelectMany(s => s).Order().ToArray();
        var samples = Samples(checks, trace);
        var drawn = samples.SelectMany(s => s).Order().ToArray();
        yield return ("mean", drawn.Mean(), measured.Mean());
        yield return ("sd", drawn.StandardDeviation(), measured.StandardDeviation());
        foreach (var p in new[] { 0.5, 0.95, 0.99 })
            yield return ($"p{p * 100:0}", SortedArrayStatistics.Quantile(drawn, p), SortedArrayStatistics.Quantile(measured, p));
        var modelAcf = ArFit.Acf(samples, DeclaredStatistics.Lags);
        var traceAcf = ArFit.Acf(streams, DeclaredStatistics.Lags);
        for (var k = 0; k < DeclaredStatistics.Lags; k++) yield return ($"acf{k + 1}", modelAcf[k], traceAcf[k]);
        yield return ("xcorr", checks.Count > 1 ? checks.Average(c => c.CrossCorrelation) : double.NaN, ArFit.MeanPairwiseCorrelation(streams));
        yield return ("ks (two-sample)", double.NaN, Ks(drawn, measured));
    }

    public static Table Table(string role, IReadOnlyList<StreamCheck> checks, IReadOnlyDictionary<int, double[]> trace)
    {
        var table = new Table().Title($"{Markup.Escape(role)} against the trace ({trace.Values.Sum(v => v.Length):N0} values, {trace.Count} stream(s)), pooled over workers{(Steps(trace) ? "; draws rounded to steps" : "")}");
        foreach (var column in new[] { "statistic", "model", "trace" }) table.AddColumn(column);
        foreach (var (statistic, model, measured) in Rows(checks, trace)) table.AddRow(statistic, F(model), F(measured));
        return table;
    }

    /// <summary>sup |F_a − F_b| of two sorted samples.</summary>
    static double Ks(double[] a, double[] b)
    {
        double d = 0;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            d = Math.Max(d, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        return d;
    }

    static string F(double x) => double.IsNaN(x) ? "–" : x.ToString("G5", CultureInfo.InvariantCulture);
}

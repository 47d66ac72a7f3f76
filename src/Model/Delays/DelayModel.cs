namespace DelaySim.Model.Delays;

/// <summary>One stream of delays: the k-th call returns the k-th delay of the stream, for a message sent at <paramref name="now"/>.</summary>
public interface IDelayStream
{
    double Next(double now);
}

/// <summary>
/// The statistics a delay model declares for one stream, so a checker can compare a long sample with them.
/// NaN means "not known in closed form" (the checker then reports only the realized value).
/// </summary>
/// <param name="Acf">Lag-1..5 autocorrelation of the stream.</param>
/// <param name="CrossCorrelation">Mean lag-0 correlation of this stream with the other workers' streams (index-aligned).</param>
/// <param name="Cdf">The marginal CDF, where known, for a Kolmogorov–Smirnov statistic.</param>
public sealed record DeclaredStatistics(double Mean, double Sd, double P50, double P95, double P99, double[] Acf, double CrossCorrelation, Func<double, double>? Cdf)
{
    public const int Lags = 5;

    public static DeclaredStatistics Of(Marginal m, double[]? acf = null, double crossCorrelation = 0) =>
        new(m.Mean, Math.Sqrt(m.Variance), m.Quantile(0.5), m.Quantile(0.95), m.Quantile(0.99), acf ?? new double[Lags], crossCorrelation, m.Cdf);

    public static double[] Unknown => Enumerable.Repeat(double.NaN, Lags).ToArray();
}

/// <summary>
/// A delay model: a recipe for the delay streams of <c>workers</c> workers (one per worker, e.g. each worker's uplink).
/// Streams are opened together, so components shared by several workers (a rack, a switch, a common factor) can be.
/// Every stream draws from its own random stream derived from (seed, name, worker).
/// </summary>
public abstract record DelayModel
{
    public abstract string Label { get; }

    public abstract IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers);

    public abstract DeclaredStatistics Declared(ulong seed, int worker, int workers);
}

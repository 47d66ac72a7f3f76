using DelaySim.Model.Delays;
using MathNet.Numerics.Statistics;

namespace DelaySim.Model.Fitting;

/// <summary>The fit of one stream (or of all streams pooled): the families by AIC, the marginal chosen and its AR(p) copula.</summary>
/// <param name="Fallback">No family came within <see cref="DelayFitter.KsLimit"/> of the sample, so the marginal is its quantile table.</param>
/// <param name="SampleAcf">Lags 1…5 of the sample itself (pooled over streams).</param>
public sealed record StreamFit(string Stream, int Count, double Mean, double Sd, IReadOnlyList<FamilyFit> Families, string Chosen,
    Marginal Marginal, FitQuality Quality, bool Fallback, ArModel Ar, double[] SampleAcf)
{
    /// <summary>The family with the lowest AIC and how it matches the sample (kept to report why a quantile table was used).</summary>
    public FamilyFit? Winner { get; init; }

    public FitQuality? WinnerQuality { get; init; }

    /// <summary>The best hidden Markov model tried and the copula model's BIC it was compared with (null: not tried).</summary>
    public (RegimeModelFit? Best, double CopulaBic)? Regimes { get; init; }

    /// <summary>The regimes kept, when their BIC beat the copula model's.</summary>
    public RegimeModel? KeptRegimes => Regimes is { Best: { } best } r && best.Bic < r.CopulaBic ? best.Model : null;

    /// <summary>The fitted model of this stream: the regimes when they won, else the marginal, correlated in time by the AR(p) copula when p ≥ 1.</summary>
    public DelayModel Model => KeptRegimes ?? (Ar.Order > 0 ? new CopulaModel(Marginal, Ar.Coefficients) : (DelayModel)new IidModel(Marginal));
}

/// <summary>The whole fit: pooled, optionally per worker, and the cross-worker correlation of simultaneous rows.</summary>
/// <param name="CrossCorrelation">Mean pairwise correlation of the workers' normal scores at equal step index (NaN with one worker).</param>
/// <param name="Factor">
/// The one-factor copula (ρ = <paramref name="CrossCorrelation"/>, AR(1) φ = the pooled latent lag-1 correlation)
/// that replaces the pooled AR(p) when the workers move together (ρ ≥ <see cref="DelayFitter.FactorThreshold"/>) and
/// no per-worker models are asked for; null otherwise.
/// </param>
public sealed record DelayFit(StreamFit Pooled, IReadOnlyList<(int Worker, StreamFit Fit)> PerWorker, double CrossCorrelation, FactorModel? Factor = null)
{
    /// <summary>The pooled model (or its factor form), with each worker's own model as an override when fitted per worker.</summary>
    public DelayModel Model => PerWorker.Count > 0
        ? new PerWorkerModel(Pooled.Model, PerWorker.ToDictionary(w => w.Worker, w => w.Fit.Model))
        : Factor ?? Pooled.Model;
}

/// <summary>
/// Fits a delay model to measured streams: <see cref="MarginalFit"/> for the marginal (the AIC winner, or the quantile
/// table when its KS distance exceeds <see cref="KsLimit"/>), <see cref="ArFit"/> for the correlation in time, and
/// the cross-worker correlation of normal scores as a report. Pure: same streams, same fit.
/// </summary>
public static class DelayFitter
{
    /// <summary>The fewest values a worker needs for a model of its own in a per-worker fit.</summary>
    public const int MinimumPerWorker = 30;

    /// <summary>The KS distance above which no family is taken to fit and the quantile table is used instead.</summary>
    public const double KsLimit = 0.05;

    /// <summary>
    /// The cross-worker correlation of normal scores from which a pooled fit is written as a one-factor copula: three
    /// standard errors at 100 simultaneous rows, and a level at which common slow-downs visibly matter.
    /// </summary>
    public const double FactorThreshold = 0.1;

    /// <param name="steps">Read the values as staleness steps (integers: discrete probabilities), not as continuous delays.</param>
    /// <param name="maxAr">The largest AR order tried; 0 fits the marginal alone (an i.i.d. model).</param>
    public static DelayFit Fit(IReadOnlyDictionary<int, double[]> byWorker, bool perWorker, bool steps, int maxAr = ArFit.MaxOrder)
    {
        var workers = byWorker.Keys.Where(w => byWorker[w].Length > 0).Order().ToArray();
        var pooled = FitStreams("pooled", workers.Select(w => byWorker[w]).ToArray(), steps, maxAr);
        // A worker with too few values of its own keeps the pooled model (only the workers fitted get an override).
        var each = perWorker && workers.Length > 1
            // Each worker's regimes get its share of the EM budget, so a per-worker fit costs about what a pooled one does.
            ? workers.Where(w => byWorker[w].Length >= MinimumPerWorker)
                .Select(w => (w, FitStreams($"worker {w}", [byWorker[w]], steps, maxAr, Math.Max(1_000, RegimeValues / workers.Length)))).ToArray()
            : [];
        // The workers' normal scores through the pooled marginal: their correlation at equal step, and the factor's φ.
        var scores = workers.Select(w => ArFit.NormalScores(pooled.Marginal, byWorker[w], steps)).ToArray();
        var rho = scores.Length < 2 ? double.NaN : ArFit.MeanPairwiseCorrelation(scores);
        var factor = !perWorker && rho >= FactorThreshold && maxAr > 0 && pooled.KeptRegimes is null
            ? new FactorModel(pooled.Marginal, Math.Min(rho, 0.99), Math.Clamp(ArFit.Acf(scores, 1)[0], -0.99, 0.99))
            : null;
        return new DelayFit(pooled, each, rho, factor);
    }

    /// <param name="regimeValues">At most this many values (the first of each stream, in proportion) go into the regimes' EM.</param>
    public static StreamFit FitStreams(string name, IReadOnlyList<double[]> streams, bool steps, int maxAr = ArFit.MaxOrder, int regimeValues = RegimeValues)
    {
        var values = streams.SelectMany(s => s).ToArray();
        var families = MarginalFit.All(values, steps);
        var winner = families.FirstOrDefault(f => f.Marginal is not null);
        var winnerQuality = winner?.Marginal is { } m ? MarginalFit.Quality(m, values, steps) : null;
        var fallback = winnerQuality is null || winnerQuality.Ks > KsLimit;
        var marginal = fallback ? MarginalFit.QuantileTable(values, steps) : winner!.Marginal!;
        var quality = fallback ? MarginalFit.Quality(marginal, values, steps) : winnerQuality!;
        var scores = streams.Select(s => ArFit.NormalScores(marginal, s, steps)).ToArray();
        var ar = ArFit.Fit(scores, maxAr);
        try
        {
            _ = new CopulaModel(marginal, ar.Coefficients.Length > 0 ? ar.Coefficients : [0]);
        }
        catch (ArgumentException)
        {
            ar = new ArModel([], 1, ar.Orders); // Levinson–Durbin keeps |k| < 1, so this is only a guard
        }
        return new StreamFit(name, values.Length, values.Average(), values.StandardDeviation(), families, fallback ? "quantile table" : winner!.Family,
            marginal, quality, fallback, ar, ArFit.Acf(streams, DeclaredStatistics.Lags))
        {
            Winner = winner,
            WinnerQuality = winnerQuality,
            Regimes = maxAr > 0 && families.FirstOrDefault(f => f.Marginal is not null && MarginalFit.Continuous.Contains(f.Family)) is { Marginal: { } continuous } best
                ? TryRegimes(streams, best.Family, continuous, best.Parameters, steps, maxAr, regimeValues)
                : null,
        };
    }

    /// <summary>The values regimes are fitted on: EM costs a weighted fit per state and round, so long traces are cut to their first rows.</summary>
    public const int RegimeValues = 10_000;

    /// <summary>2- and 3-state regimes of the best continuous family (by AIC) against its AR(p) copula, both scored by BIC on the same values.</summary>
    static (RegimeModelFit?, double) TryRegimes(IReadOnlyList<double[]> streams, string family, Marginal marginal, int parameters, bool steps, int maxAr, int values)
    {
        var total = streams.Sum(s => s.Length);
        var cut = total <= values ? streams : streams.Select(s => s[..Math.Max(1, (int)((long)s.Length * values / total))]).ToArray();
        var n = cut.Sum(s => s.Length);
        var ar = ArFit.Fit(cut.Select(s => ArFit.NormalScores(marginal, s, steps)).ToArray(), maxAr);
        var copulaBic = (parameters + ar.Order) * Math.Log(n) - 2 * RegimeFit.CopulaLogLikelihood(cut, marginal, ar, steps);
        var best = new[] { 2, 3 }.Select(k => RegimeFit.Fit(cut, family, k, steps)).Where(f => f is not null).MinBy(f => f!.Bic);
        return (best, copulaBic);
    }
}

using DelaySim.Model.Delays;
using DelaySim.Model.Fitting;
using DelaySim.Model.Randomness;

namespace DelaySim.Tests.Model;

/// <summary>
/// Fitting recovers the model a sample was drawn from: the family by AIC, its parameters by maximum likelihood, the
/// AR(1) of a copula stream. Fixed seeds; tolerances are a few standard errors at these sample sizes.
/// </summary>
public class DelayFitTests
{
    const int N = 5_000;

    /// <summary>Relative tolerance on a fitted parameter: the MLE's standard error at n = 5,000 is about 2 % for a gamma shape.</summary>
    const double ParameterTolerance = 0.06;

    static double[] Draw(Marginal m, ulong seed)
    {
        var rng = Streams.For(seed, "fit-test");
        return Enumerable.Range(0, N).Select(_ => m.Sample(rng)).ToArray();
    }

    [Fact]
    public void A_gamma_sample_is_fitted_as_gamma_with_its_parameters()
    {
        var fit = DelayFitter.FitStreams("s", [Draw(new GammaDelay(3, 0.01), 1)], steps: false);
        Assert.Equal("gamma", fit.Chosen);
        var g = Assert.IsType<GammaDelay>(fit.Marginal);
        Assert.Equal(3, g.Shape, 3 * ParameterTolerance);
        Assert.Equal(0.01, g.Scale, 0.01 * ParameterTolerance);
        Assert.True(fit.Quality.Ks < 0.02, $"KS {fit.Quality.Ks}");
        Assert.Equal(0, fit.Ar.Order);
    }

    [Fact]
    public void A_lognormal_sample_is_fitted_as_lognormal_and_its_mle_is_the_closed_form()
    {
        var x = Draw(new LogNormalDelay(-4, 0.5), 2);
        var fit = DelayFitter.FitStreams("s", [x], steps: false);
        Assert.Equal("lognormal", fit.Chosen);
        var l = Assert.IsType<LogNormalDelay>(fit.Marginal);
        var logs = x.Select(v => Math.Log(v)).ToArray();
        var mu = logs.Average();
        var sigma = Math.Sqrt(logs.Select(v => (v - mu) * (v - mu)).Average());
        Assert.Equal(mu, l.Mu, 1e-5);
        Assert.Equal(sigma, l.Sigma, 1e-5);
    }

    [Fact]
    public void Integer_staleness_is_fitted_with_discrete_probabilities()
    {
        var x = Draw(new GeometricDelay(0.2), 3);
        var fit = DelayFitter.FitStreams("s", [x], steps: true);
        Assert.Equal("geometric", fit.Chosen);
        Assert.Equal(0.2, Assert.IsType<GeometricDelay>(fit.Marginal).P, 0.2 * ParameterTolerance);
        Assert.True(MarginalFit.LooksLikeSteps(x));
    }

    [Fact]
    public void An_ar1_copula_stream_gives_back_its_coefficient()
    {
        var model = new CopulaModel(new ExponentialDelay(0.01), [0.6]);
        var stream = model.Open(4, "fit-test", 1)[0];
        var x = Enumerable.Range(0, N).Select(k => stream.Next(k * 0.01)).ToArray();
        var fit = DelayFitter.FitStreams("s", [x], steps: false);
        Assert.Equal("exponential", fit.Chosen);
        Assert.InRange(fit.Ar.Order, 1, 2);
        Assert.Equal(0.6, fit.Ar.Coefficients[0], 0.05);
    }

    [Fact]
    public void Workers_that_move_together_are_fitted_as_a_one_factor_copula()
    {
        var streams = new FactorModel(new GammaDelay(4, 0.0025), 0.5, 0.6).Open(10, "fit-test", 4);
        var byWorker = Enumerable.Range(0, 4).ToDictionary(w => w, w => Enumerable.Range(0, 2_500).Select(k => streams[w].Next(k * 0.01)).ToArray());
        var fit = DelayFitter.Fit(byWorker, perWorker: false, steps: false);
        var factor = Assert.IsType<FactorModel>(fit.Model);
        Assert.Equal(0.5, factor.Correlation, 0.05);
        Assert.Equal(0.6, factor.Phi, 0.05);
        // With per-worker models the correlation is reported but not modelled.
        Assert.IsType<PerWorkerModel>(DelayFitter.Fit(byWorker, perWorker: true, steps: false).Model);
    }

    [Fact]
    public void A_bursty_gilbert_elliott_stream_is_fitted_as_regimes_that_beat_the_copula()
    {
        var model = RegimeModel.GilbertElliott(new ExponentialDelay(0.005), new ExponentialDelay(0.05), 0.03, 0.2);
        var stream = model.Open(11, "fit-test", 1)[0];
        var x = Enumerable.Range(0, 8_000).Select(k => stream.Next(k * 0.01)).ToArray();
        var fit = DelayFitter.FitStreams("s", [x], steps: false);
        var regimes = Assert.IsType<RegimeModel>(fit.Model);
        Assert.True(fit.Regimes!.Value.Best!.Bic < fit.Regimes.Value.CopulaBic);
        // States are sorted by mean: the fastest is the good state, the slowest carries the bursts.
        Assert.Equal(0.005, regimes.States[0].Marginal.Mean, 0.005 * 0.3);
        Assert.Equal(0.05, regimes.States[^1].Marginal.Mean, 0.05 * 0.3);
        Assert.Equal(model.Declared(1, 0, 1).Mean, regimes.Declared(1, 0, 1).Mean, 0.1 * model.Declared(1, 0, 1).Mean);
    }

    [Fact]
    public void An_independent_stream_keeps_its_plain_marginal_rather_than_regimes()
    {
        var fit = DelayFitter.FitStreams("s", [Draw(new GammaDelay(3, 0.01), 12)], steps: false);
        Assert.Null(fit.KeptRegimes);
        Assert.IsNotType<RegimeModel>(fit.Model);
    }

    [Fact]
    public void A_sample_no_family_matches_falls_back_to_its_quantile_table()
    {
        // A two-humped mixture: no single family comes within the KS limit.
        var rng = Streams.For(5, "fit-test");
        var x = Enumerable.Range(0, N).Select(i => (i % 2 == 0 ? 0.01 : 0.05) + 0.001 * rng.NextGaussian()).ToArray();
        var fit = DelayFitter.FitStreams("s", [x], steps: false);
        Assert.True(fit.Fallback);
        Assert.IsType<EmpiricalDelay>(fit.Marginal);
        Assert.True(fit.Quality.Ks < 0.02, $"KS {fit.Quality.Ks}");
        Assert.True(fit.WinnerQuality!.Ks > DelayFitter.KsLimit);
    }

    [Fact]
    public void The_discrete_quantile_table_reproduces_the_staleness_frequencies()
    {
        var x = new double[] { 0, 1, 1, 2, 2, 2, 5, 5, 5, 5 };
        var table = MarginalFit.QuantileTable(x, steps: true);
        var rng = Streams.For(6, "fit-test");
        var draws = Enumerable.Range(0, 100_000).Select(_ => Math.Round(table.Sample(rng), MidpointRounding.AwayFromZero)).ToArray();
        foreach (var v in x.Distinct())
            Assert.Equal(x.Count(y => y == v) / 10.0, draws.Count(d => d == v) / 100_000.0, 0.01);
    }
}

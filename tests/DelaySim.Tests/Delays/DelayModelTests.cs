using DelaySim.Model;
using DelaySim.Model.Delays;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Delays;

public class DelayModelTests
{
    const int Draws = 100_000;

    /// <summary>The tolerance for a copula's lag-1 autocorrelation on 100,000 draws.</summary>
    const double AcfTolerance = 0.02;

    [Theory]
    [InlineData("exponential", 0.9)]
    [InlineData("gamma", 0.7)]
    [InlineData("lognormal", 0.5)]
    [InlineData("pareto", 0.9)]
    [InlineData("poisson", 0.8)]
    public void Copula_AR1_has_the_declared_lag1_autocorrelation_and_keeps_its_marginal(string kind, double phi)
    {
        Marginal marginal = kind switch
        {
            "exponential" => new ExponentialDelay(0.01),
            "gamma" => new GammaDelay(2, 0.005),
            "lognormal" => new LogNormalDelay(-4, 0.5),
            "pareto" => new ParetoDelay(4, 0.003),
            _ => new PoissonDelay(6),
        };
        var model = new CopulaModel(marginal, [phi]);
        var check = DelayCheck.Run(model, "test", 1, Draws, 7)[0];
        Assert.InRange(check.Acf[0], check.Declared.Acf[0] - AcfTolerance, check.Declared.Acf[0] + AcfTolerance);
        // Autocorrelated draws carry less information: the effective sample size of an AR(1) is n(1−φ)/(1+φ).
        var effective = Draws * (1 - phi) / (1 + phi);
        Assert.True(check.Ks < 1.95 / Math.Sqrt(effective), $"KS {check.Ks} with effective n {effective:0}");
    }

    [Fact]
    public void A_normal_marginal_carries_the_latent_correlation_unchanged()
    {
        var model = new CopulaModel(new TruncatedNormalDelay(100, 1), [0.6, 0.2]);
        var declared = model.Declared(1, 0, 1);
        // AR(2) Yule–Walker: ρ1 = φ1/(1−φ2) = 0.75, ρ2 = φ1ρ1 + φ2 = 0.65.
        Assert.Equal(0.75, declared.Acf[0], 4);
        Assert.Equal(0.65, declared.Acf[1], 4);
        var check = DelayCheck.Run(model, "ar2", 1, Draws, 3)[0];
        Assert.InRange(check.Acf[1], 0.65 - AcfTolerance, 0.65 + AcfTolerance);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-1.2)]
    public void Non_stationary_AR_coefficients_are_refused(double phi) =>
        Assert.Contains("not stationary", Assert.Throws<ArgumentException>(() => new CopulaModel(new ExponentialDelay(1), [phi])).Message);

    [Fact]
    public void Regime_occupancy_matches_the_stationary_distribution()
    {
        // Constant delays 1, 2, 3 label the states, so the share of each value is the time spent in that state.
        var model = new RegimeModel(
            [new Regime("normal", new ConstantDelay(1)), new Regime("congested", new ConstantDelay(2)), new Regime("failed", new ConstantDelay(3))],
            new[,] { { 0.95, 0.04, 0.01 }, { 0.2, 0.75, 0.05 }, { 0.5, 0, 0.5 } });
        var check = DelayCheck.Run(model, "regimes", 1, Draws, 11)[0];
        for (var s = 0; s < 3; s++)
        {
            var share = check.Sample.Count(x => x == s + 1) / (double)Draws;
            // Correlated visits: 0.01 absolute is about 5 standard errors for these sojourn times.
            Assert.InRange(share, model.Stationary[s] - 0.01, model.Stationary[s] + 0.01);
        }
        Assert.Equal(1, model.Stationary.Sum(), 12);
        Assert.InRange(check.Acf[0], check.Declared.Acf[0] - AcfTolerance, check.Declared.Acf[0] + AcfTolerance);
    }

    [Fact]
    public void Gilbert_Elliott_bursts_have_the_textbook_stationary_share()
    {
        var model = RegimeModel.GilbertElliott(new ConstantDelay(0.001), new ConstantDelay(0.1), p: 0.02, r: 0.2);
        // π_bad = p / (p + r).
        Assert.Equal(0.02 / 0.22, model.Stationary[1], 12);
    }

    [Fact]
    public void Shared_component_gives_the_declared_correlation_inside_a_group_and_none_across()
    {
        var model = new SharedComponentModel(new IidModel(new ExponentialDelay(0.004)), new IidModel(new GammaDelay(4, 0.001)), GroupSize: 2);
        var streams = model.Open(5, "rack", 4);
        var x = Enumerable.Range(0, 4).Select(_ => new double[Draws]).ToArray();
        for (var k = 0; k < Draws; k++)
            for (var m = 0; m < 4; m++) x[m][k] = streams[m].Next(0);
        // Var(own) = 1.6e−5, Var(shared) = 4e−6: within a group ρ = 4e−6 / 2e−5 = 0.2.
        var within = MathNet.Numerics.Statistics.Correlation.Pearson(x[0], x[1]);
        var across = MathNet.Numerics.Statistics.Correlation.Pearson(x[0], x[2]);
        Assert.InRange(within, 0.2 - AcfTolerance, 0.2 + AcfTolerance);
        Assert.InRange(across, -AcfTolerance, AcfTolerance);
        // Declared xcorr is the mean over the other 3 workers: one of them shares the rack.
        Assert.Equal(0.2 / 3, model.Declared(1, 0, 4).CrossCorrelation, 10);
    }

    [Fact]
    public void Factor_model_keeps_the_marginal_and_correlates_workers_as_declared()
    {
        var model = new FactorModel(new WeibullDelay(1.5, 0.01), correlation: 0.6, phi: 0.5);
        var checks = DelayCheck.Run(model, "factor", 3, Draws, 2);
        foreach (var check in checks)
        {
            Assert.InRange(check.CrossCorrelation, check.Declared.CrossCorrelation - AcfTolerance, check.Declared.CrossCorrelation + AcfTolerance);
            Assert.InRange(check.Acf[0], check.Declared.Acf[0] - AcfTolerance, check.Declared.Acf[0] + AcfTolerance);
            Assert.True(check.Ks < 1.95 / Math.Sqrt(Draws / 3.0), $"KS {check.Ks}");
        }
    }

    [Fact]
    public void Loss_pauses_and_reordering_shift_the_mean_as_declared()
    {
        var baseModel = new IidModel(new UniformDelay(0.002, 0.006));
        foreach (DelayModel model in new DelayModel[]
                 {
                     new LossModel(baseModel, 0.05, 0.2),
                     new PauseModel(baseModel, 1.0, 0.1),
                     new ReorderModel(baseModel, 0.25),
                     new DriftModel(baseModel, 0.5, 3.7),
                 })
        {
            var check = DelayCheck.Run(model, "shape", 1, Draws, 9)[0];
            var d = check.Declared;
            Assert.InRange(check.Mean, d.Mean - 5 * d.Sd / Math.Sqrt(Draws), d.Mean + 5 * d.Sd / Math.Sqrt(Draws));
            Assert.InRange(check.Sd, 0.95 * d.Sd, 1.05 * d.Sd);
        }
    }

    [Fact]
    public void Time_shapes_declare_no_cross_correlation_and_loss_dilutes_it()
    {
        var factor = new FactorModel(new ExponentialDelay(0.01), 0.5);
        Assert.True(double.IsNaN(new DriftModel(factor, 0.5, 3).Declared(1, 0, 4).CrossCorrelation));
        Assert.True(double.IsNaN(new PauseModel(factor, 1, 0.1).Declared(1, 0, 4).CrossCorrelation));
        var lossy = new LossModel(factor, 0.05, 0.2);
        var check = DelayCheck.Run(lossy, "lossy", 4, Draws, 3)[0];
        Assert.InRange(check.CrossCorrelation, check.Declared.CrossCorrelation - AcfTolerance, check.Declared.CrossCorrelation + AcfTolerance);
        Assert.True(check.Declared.CrossCorrelation < factor.Declared(1, 0, 4).CrossCorrelation);
    }

    [Fact]
    public void Stragglers_are_the_same_workers_for_the_same_seed_and_k_times_slower()
    {
        var model = new StragglerModel(new IidModel(new ConstantDelay(1)), Fraction: 0.25, Factor: 4);
        var delays = model.Open(3, "up", 8).Select(s => s.Next(0)).ToArray();
        Assert.Equal(2, delays.Count(d => d == 4));
        Assert.Equal(6, delays.Count(d => d == 1));
        Assert.Equal(delays, model.Open(3, "compute", 8).Select(s => s.Next(0)));
    }

    [Fact]
    public void A_trace_is_replayed_exactly_and_its_gaps_and_missing_workers_are_errors()
    {
        var folder = Scenarios.TempFolder();
        var good = Path.Combine(folder, "good.csv");
        File.WriteAllText(good, "worker,step,delay\n0,0,0.5\n1,0,0.25\n0,1,0.125\n1,1,1\n");
        var trace = TraceModel.Read(good);
        var streams = trace.Open(1, "up", 2);
        Assert.Equal([0.5, 0.125], new[] { streams[0].Next(0), streams[0].Next(1) });
        Assert.Equal([0.25, 1.0], new[] { streams[1].Next(0), streams[1].Next(1) });
        Assert.Contains("worker 0 has 2 steps", Assert.Throws<BadInputException>(() => streams[0].Next(2)).Message);
        Assert.Contains("no rows for worker(s) 2", Assert.Throws<BadInputException>(() => trace.Open(1, "up", 3)).Message);

        var gap = Path.Combine(folder, "gap.csv");
        File.WriteAllText(gap, "worker,step,delay\n0,0,0.5\n0,2,0.1\n");
        Assert.Contains("gap.csv:3: worker 0 has a gap", Assert.Throws<BadInputException>(() => TraceModel.Read(gap)).Message);

        var byTime = Path.Combine(folder, "time.csv");
        File.WriteAllText(byTime, "worker,time,delay\n0,0,0.5\n0,10,0.1\n");
        var timed = TraceModel.Read(byTime).Open(1, "up", 1)[0];
        Assert.Equal([0.5, 0.5, 0.1], new[] { timed.Next(0), timed.Next(9.9), timed.Next(10) });
    }

    [Fact]
    public void NetEm_specs_become_the_equivalent_model()
    {
        var pareto = Assert.IsType<CopulaModel>(NetEm.Parse("20ms 5ms 25% distribution pareto"));
        Assert.Equal(0.020, pareto.Marginal.Mean, 12);
        Assert.Equal(0.005, Math.Sqrt(pareto.Marginal.Variance), 12);
        Assert.Equal([0.25], pareto.Ar);
        var uniform = Assert.IsType<IidModel>(NetEm.Parse("delay 100ms 10ms"));
        Assert.Equal(0.09, ((UniformDelay)uniform.Marginal).Low, 12);
        Assert.Equal(0.11, ((UniformDelay)uniform.Marginal).High, 12);
        var lossy = Assert.IsType<LossModel>(NetEm.Parse("10ms loss 1% timeout 50ms"));
        Assert.Equal((0.01, 0.05), (lossy.Probability, lossy.Timeout));
        Assert.Equal(0.5, Assert.IsType<ConstantDelay>(((IidModel)NetEm.Parse("0.5s")).Marginal).Value);
    }

    [Theory]
    [InlineData("fast", "expected a delay time")]
    [InlineData("20ms 5ms 120%", "correlation must be below 100%")]
    [InlineData("20ms 5ms distribution cauchy", "unknown distribution 'cauchy'")]
    [InlineData("20ms rate 1mbit", "'rate' is not supported")]
    [InlineData("20ms distribution normal", "needs a jitter")]
    public void Malformed_NetEm_specs_say_what_is_wrong(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => NetEm.Parse(spec)).Message);
}

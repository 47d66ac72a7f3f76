using DelaySim.Model.Delays;
using DelaySim.Model.Randomness;

namespace DelaySim.Tests.Delays;

public class MarginalTests
{
    const int Draws = 100_000;

    /// <summary>KS critical value at α = 0.001 for n i.i.d. draws: 1.95/√n (conservative for discrete laws).</summary>
    static double KsCritical(int n) => 1.95 / Math.Sqrt(n);

    public static TheoryData<string> Names => new(Catalogue.Keys);

    static readonly Dictionary<string, Marginal> Catalogue = new()
    {
        ["constant"] = new ConstantDelay(0.01),
        ["uniform"] = new UniformDelay(0.002, 0.006),
        ["normal"] = new TruncatedNormalDelay(0.01, 0.008),
        ["exponential"] = new ExponentialDelay(0.005),
        ["gamma"] = new GammaDelay(2.5, 0.004),
        ["gamma-small-shape"] = new GammaDelay(0.3, 0.01),
        ["lognormal"] = new LogNormalDelay(-4, 0.6),
        ["weibull"] = new WeibullDelay(1.5, 0.01),
        ["pareto"] = new ParetoDelay(3.5, 0.004, 0.001),
        ["geometric"] = new GeometricDelay(0.3),
        ["poisson"] = new PoissonDelay(4.2),
        ["poisson-large"] = new PoissonDelay(120),
        ["empirical"] = new EmpiricalDelay([0.001, 0.002, 0.002, 0.005, 0.010]),
        ["quantiles"] = new EmpiricalDelay([0.001, 0.004, 0.006, 0.02], [0, 0.5, 0.9, 1]),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Draws_match_the_declared_distribution(string name)
    {
        var marginal = Catalogue[name];
        var rng = Streams.For(1, name);
        var x = Enumerable.Range(0, Draws).Select(_ => marginal.Sample(rng)).ToArray();
        var mean = x.Average();
        var sd = Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Sum() / (Draws - 1));
        var declaredSd = Math.Sqrt(marginal.Variance);
        // The mean of n draws has sd σ/√n; 5 of those is a false alarm rate below 1e−6.
        var roundoff = 1e-12 * Math.Abs(marginal.Mean);
        Assert.InRange(mean, marginal.Mean - 5 * declaredSd / Math.Sqrt(Draws) - roundoff, marginal.Mean + 5 * declaredSd / Math.Sqrt(Draws) + roundoff);
        // The sample sd: 3 % is many standard errors for every law here (the heaviest tail is Pareto α = 3.5).
        Assert.InRange(sd, 0.97 * declaredSd - roundoff, 1.03 * declaredSd + roundoff);
        if (marginal is not ConstantDelay)
            Assert.True(DelayCheck.KolmogorovSmirnov(x.Order().ToArray(), marginal.Cdf) < KsCritical(Draws), $"{name}: KS too large");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Inverse_cdf_and_cdf_agree(string name)
    {
        var marginal = Catalogue[name];
        foreach (var u in new[] { 0.01, 0.25, 0.5, 0.9, 0.999 })
        {
            var x = marginal.InverseCdf(u);
            Assert.True(marginal.Cdf(x) >= u - 1e-9, $"{name}: F(F⁻¹({u})) = {marginal.Cdf(x)}");
            if (!marginal.IsDiscrete && marginal is not ConstantDelay) Assert.Equal(u, marginal.Cdf(x), 6);
        }
    }

    [Fact]
    public void Upper_tail_quantiles_stay_finite_where_one_minus_q_rounds_to_one()
    {
        foreach (var marginal in Catalogue.Values)
        {
            var far = marginal.FromStandardNormal(9);
            Assert.True(double.IsFinite(far) && far >= marginal.FromStandardNormal(5), $"{marginal.Label}: {far}");
        }
    }

    [Theory]
    [InlineData("gamma", -1.0)]
    [InlineData("exponential", 0.0)]
    [InlineData("pareto", -2.0)]
    [InlineData("geometric", 1.5)]
    public void Invalid_parameters_are_refused_with_their_name(string kind, double value)
    {
        var e = Assert.Throws<ArgumentException>(() => kind switch
        {
            "gamma" => (Marginal)new GammaDelay(value, 1),
            "exponential" => new ExponentialDelay(value),
            "pareto" => new ParetoDelay(value, 1),
            _ => new GeometricDelay(value),
        });
        Assert.Contains(kind, e.Message);
    }
}

using DelaySim.Model.Delays;

namespace DelaySim.Tests.Delays;

public class NormalTransformTests
{
    // The table's interpolation error bound, relative to the exact quantile.
    const double TableTolerance = 1e-8;

    [Theory]
    [InlineData(2.0, 0.005)]
    [InlineData(0.3, 1.0)]
    [InlineData(40.0, 0.1)]
    public void The_gamma_table_matches_the_exact_copula_map(double shape, double scale)
    {
        var gamma = new GammaDelay(shape, scale);
        var table = new NormalTransform(gamma);
        for (var z = -7.99; z < 8; z += 0.0371)
        {
            var exact = gamma.FromStandardNormal(z);
            Assert.True(Math.Abs(table.Map(z) - exact) <= TableTolerance * exact, $"z = {z}: table {table.Map(z)}, exact {exact}");
        }
    }

    [Fact]
    public void Deep_lower_tail_quantiles_of_a_gamma_are_positive_and_consistent()
    {
        var gamma = new GammaDelay(2, 0.005);
        foreach (var u in new[] { 1e-9, 1e-14, 1e-20, 1e-30 })
        {
            var x = gamma.InverseCdf(u);
            Assert.True(x > 0);
            // P(2, y) ≈ y²/2 for small y = x/θ.
            Assert.Equal(1, gamma.Cdf(x) / u, 6);
        }
    }
}

using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>Any delay model of the library as staleness-domain τ_t: rounded to steps, capped at τ̂.</summary>
public class ModelStalenessTests
{
    static int[] Draw(IStaleness staleness, int steps, ulong seed = 1)
    {
        var sequence = staleness.Start(seed, "delay");
        return Enumerable.Range(0, steps).Select(t => sequence.Next(t)).ToArray();
    }

    [Fact]
    public void A_constant_model_is_the_fixed_delay_to_the_bit()
    {
        var model = new ModelStaleness(new IidModel(new ConstantDelay(3)), Cap: 8);
        var viaModel = DirectEngine.Run(Replicate.Prepare(SpecBuilder.Fixed(0).Build() with { Staleness = model, Workers = 4 }, 5), 0);
        var fixedTau = DirectEngine.Run(Replicate.Prepare(SpecBuilder.Fixed(3).Build() with { Workers = 4 }, 5), 0);
        for (var k = 0; k < fixedTau.FinalParameters.Length; k++)
            Assert.Equal(fixedTau.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits), viaModel.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData(2.5, 8, 3)]   // rounded half away from zero
    [InlineData(2.4, 8, 2)]
    [InlineData(10, 4, 4)]    // capped at τ̂
    public void Draws_are_rounded_to_steps_and_capped(double value, int cap, int expected) =>
        Assert.All(Draw(new ModelStaleness(new IidModel(new ConstantDelay(value)), cap), 5), tau => Assert.Equal(expected, tau));

    // 100,000 draws of a rounded exponential with mean 5 (capped at 200, never reached in practice): the sample mean's
    // sd is 5/√100,000 ≈ 0.016; 0.1 is over 6 sd, and rounding half away from zero moves the mean by less than 0.01.
    const double MeanTolerance = 0.1;

    [Fact]
    public void A_random_model_keeps_its_mean_and_each_planner_draws_its_own_sequence()
    {
        var model = new ModelStaleness(new CopulaModel(new ExponentialDelay(5), [0.8]), Cap: 200);
        var draws = Draw(model, 100_000);
        Assert.InRange(draws.Average(), 5 - MeanTolerance, 5 + MeanTolerance);
        Assert.Equal(draws.Take(100), Draw(model, 100));          // same seed and stream: the same sequence
        Assert.NotEqual(draws.Take(100), Draw(model, 100, seed: 2));
        // Correlated in time: consecutive draws agree far more often than independent ones would.
        var lag1 = Enumerable.Range(1, draws.Length - 1).Select(i => (double)(draws[i] - 5) * (draws[i - 1] - 5)).Average();
        Assert.True(lag1 > 0.3 * 25, $"lag-1 covariance {lag1}");
    }
}

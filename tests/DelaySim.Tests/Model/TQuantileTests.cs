using DelaySim.Model.Engine;
using MathNet.Numerics.Distributions;

namespace DelaySim.Tests.Model;

public class TQuantileTests
{
    [Fact]
    public void The_kept_quantile_is_the_same_double_as_MathNets_from_every_thread()
    {
        var degrees = Enumerable.Range(1, 200).ToArray();
        var fromThreads = degrees.AsParallel().Select(TQuantile.Of975).ToArray();
        foreach (var df in degrees)
        {
            var expected = StudentT.InvCDF(0, 1, df, 0.975);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(TQuantile.Of975(df)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(fromThreads[df - 1]));
        }
        Assert.Equal(12.706204736, TQuantile.Of975(1), 1e-8);   // the textbook values
        Assert.Equal(2.093024054, TQuantile.Of975(19), 1e-8);
    }
}

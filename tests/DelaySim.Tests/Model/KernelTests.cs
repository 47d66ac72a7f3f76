using DelaySim.Model.Data;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;
using FsCheck.Xunit;

namespace DelaySim.Tests.Model;

/// <summary>The batched kernels give exactly the bits of the one-at-a-time kernels they replace.</summary>
public class KernelTests
{
    static double[] Gaussians(Rng rng, int n) => Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();

    [Property]
    public bool Four_dots_at_once_equal_four_single_dots(ulong seed, byte length)
    {
        var rng = new Rng(seed);
        var w = Gaussians(rng, length % 40);
        var rows = Enumerable.Range(0, 4).Select(_ => Gaussians(rng, w.Length)).ToArray();
        var (d0, d1, d2, d3) = Kernels.Dot4(rows[0], rows[1], rows[2], rows[3], w);
        return new[] { d0, d1, d2, d3 }.Select((d, k) => BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(Kernels.Dot(rows[k], w))).All(x => x);
    }

    [Theory]
    [InlineData(ProblemKind.LeastSquares, 0.0)]
    [InlineData(ProblemKind.Logistic, 0.0)]
    [InlineData(ProblemKind.Logistic, 0.01)]
    public void Mean_losses_of_many_vectors_equal_the_mean_loss_of_each(ProblemKind kind, double l2)
    {
        // 103 rows (not a multiple of 4) and a twin's set whose replaced row falls inside a block of four.
        const int features = 19;
        var rng = new Rng(3);
        var labels = Enumerable.Range(0, 103).Select(i => (double)(i % 2)).ToArray();
        var data = new Dataset(Gaussians(rng, 103 * features), labels, features, classCount: 2);
        var twin = data.WithReplacedRow(41, Gaussians(rng, features), 1);
        var problem = new ProblemSpec(kind, l2).Create(features, 2);
        var ws = Enumerable.Range(0, 6).Select(_ => (ReadOnlyMemory<double>)Gaussians(rng, features)).ToArray();
        foreach (var set in new[] { data, twin })
        {
            var batched = problem.MeanLosses(ws, set);
            for (var v = 0; v < ws.Length; v++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(problem.MeanLoss(ws[v].Span, set)), BitConverter.DoubleToInt64Bits(batched[v]));
        }
    }
}

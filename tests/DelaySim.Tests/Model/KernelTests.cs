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
    public bool Dots_of_four_rows_in_vector_lanes_equal_four_single_dots(ulong seed, byte length)
    {
        var rng = new Rng(seed);
        var w = Gaussians(rng, length % 40);
        var rows = Enumerable.Range(0, 4).Select(_ => Gaussians(rng, w.Length)).ToArray();
        var lanes = Enumerable.Range(0, w.Length).Select(j => System.Runtime.Intrinsics.Vector256.Create(rows[0][j], rows[1][j], rows[2][j], rows[3][j])).ToArray();
        var dots = Kernels.DotLanes(lanes, w);
        return Enumerable.Range(0, 4).All(r => BitConverter.DoubleToInt64Bits(dots[r]) == BitConverter.DoubleToInt64Bits(Kernels.Dot(rows[r], w)));
    }

    [Theory]
    [InlineData(ProblemKind.LeastSquares, 0.0, 2)]
    [InlineData(ProblemKind.Logistic, 0.0, 2)]
    [InlineData(ProblemKind.Logistic, 0.01, 2)]
    [InlineData(ProblemKind.LinearMse, 0.0, 3)]
    [InlineData(ProblemKind.Mlp, 0.0, 3)]
    public void Mean_losses_of_many_vectors_equal_the_mean_loss_of_each(ProblemKind kind, double l2, int classes)
    {
        // 103 rows (not a multiple of 4 or of the row block) and a twin's set whose replaced row falls inside a block of four.
        const int features = 19;
        var rng = new Rng(3);
        var labels = Enumerable.Range(0, 103).Select(i => (double)(i % classes)).ToArray();
        var data = new Dataset(Gaussians(rng, 103 * features), labels, features, classes);
        var twin = data.WithReplacedRow(41, Gaussians(rng, features), 1);
        var problem = new ProblemSpec(kind, l2, kind == ProblemKind.Mlp ? [5] : null).Create(features, classes);
        var ws = Enumerable.Range(0, 6).Select(_ => (ReadOnlyMemory<double>)Gaussians(rng, problem.ParameterCount)).ToArray();
        foreach (var set in new[] { data, twin })
        {
            var batched = problem.MeanLosses(ws, set);
            for (var v = 0; v < ws.Length; v++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(problem.MeanLoss(ws[v].Span, set)), BitConverter.DoubleToInt64Bits(batched[v]));
        }
    }
}

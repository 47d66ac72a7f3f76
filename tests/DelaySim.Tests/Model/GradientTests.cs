using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;

namespace DelaySim.Tests.Model;

public class GradientTests
{
    // Central differences have O(h²) truncation error; with h = 1e-5 and O(1) curvatures this bounds the error near 1e-8.
    const double Step = 1e-5;
    const double Tolerance = 1e-6;

    public static TheoryData<ProblemKind, int, double> Problems => new()
    {
        { ProblemKind.LeastSquares, 0, 0.0 },
        { ProblemKind.LinearMse, 2, 0.0 },
        { ProblemKind.LinearMse, 4, 0.0 },
        { ProblemKind.Logistic, 2, 0.0 },
        { ProblemKind.Logistic, 2, 0.3 },
        { ProblemKind.Mlp, 3, 0.0 },
        { ProblemKind.Mlp, 2, 0.0 },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Gradient_matches_central_finite_differences(ProblemKind kind, int classes, double l2)
    {
        const int d = 7;
        var rng = new Rng(42);
        var problem = new ProblemSpec(kind, l2, [5, 4]).Create(d, classes);
        for (var trial = 0; trial < 5; trial++)
        {
            var x = Enumerable.Range(0, d).Select(_ => rng.NextGaussian()).ToArray();
            var w = Enumerable.Range(0, problem.ParameterCount).Select(_ => 0.5 * rng.NextGaussian()).ToArray();
            double y = kind switch
            {
                ProblemKind.LeastSquares => rng.NextGaussian(),
                ProblemKind.Logistic => rng.NextUnit() < 0.5 ? -1 : 1,
                ProblemKind.Mlp => rng.NextIndex(classes),
                _ => classes == 2 ? (rng.NextUnit() < 0.5 ? -1 : 1) : rng.NextIndex(classes),
            };
            var g = new double[problem.ParameterCount];
            problem.AddGradient(w, x, y, 1.0, g);
            for (var j = 0; j < w.Length; j++)
            {
                var plus = (double[])w.Clone();
                var minus = (double[])w.Clone();
                plus[j] += Step;
                minus[j] -= Step;
                var numeric = (problem.Loss(plus, x, y) - problem.Loss(minus, x, y)) / (2 * Step);
                Assert.True(Math.Abs(numeric - g[j]) < Tolerance, $"{kind} ∂f/∂w[{j}]: analytic {g[j]}, numeric {numeric}");
            }
        }
    }

    [Fact]
    public void Gradient_accumulates_with_scale()
    {
        var problem = new LeastSquares(3);
        double[] w = [1, 2, 3], x = [0.5, -1, 2];
        var g = new double[] { 1, 1, 1 };
        problem.AddGradient(w, x, 1, 0.5, g);
        // residual r = xᵀw − y = 0.5 − 2 + 6 − 1 = 3.5, so g = 1 + 0.5·3.5·x
        Assert.Equal([1 + 0.875, 1 - 1.75, 1 + 3.5], g);
    }

    [Fact]
    public void Dot_and_distance_use_the_documented_summation_order_to_the_bit()
    {
        // Two 4-lane accumulators over blocks of 8, lanes combined as ((a0+a1)+(a2+a3)), then the tail in order.
        static double Reference(double[] p)
        {
            var acc = new double[8];
            var i = 0;
            for (; i + 8 <= p.Length; i += 8)
                for (var l = 0; l < 8; l++) acc[l] += p[i + l];
            var lanes = Enumerable.Range(0, 4).Select(l => acc[l] + acc[l + 4]).ToArray();
            var sum = p.Length >= 8 ? (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) : 0.0;
            for (; i < p.Length; i++) sum += p[i];
            return sum;
        }
        var rng = new Rng(5);
        foreach (var n in new[] { 3, 8, 22, 1001 })
        {
            var x = Enumerable.Range(0, n).Select(_ => rng.NextGaussian() * 1e3).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
            Assert.Equal(BitConverter.DoubleToInt64Bits(Reference(x.Zip(y, (a, b) => a * b).ToArray())), BitConverter.DoubleToInt64Bits(Kernels.Dot(x, y)));
            var squares = x.Zip(y, (a, b) => (a - b) * (a - b)).ToArray();
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Sqrt(Reference(squares))), BitConverter.DoubleToInt64Bits(Kernels.Distance(x, y)));
        }
    }

    [Fact]
    public void Deterministic_dot_agrees_with_a_naive_sum()
    {
        var rng = new Rng(3);
        foreach (var n in new[] { 0, 1, 7, 8, 9, 22, 1000 })
        {
            var x = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
            var naive = x.Zip(y, (a, b) => a * b).Sum();
            Assert.Equal(naive, Kernels.Dot(x, y), 1e-10);
        }
    }
}

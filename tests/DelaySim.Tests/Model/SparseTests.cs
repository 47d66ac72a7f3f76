using System.Text;
using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;
using DelaySim.Tests.Support;
using FsCheck.Xunit;

namespace DelaySim.Tests.Model;

/// <summary>Sparse rows hold the same data as dense ones: every problem sees the same losses and gradients up to rounding.</summary>
public class SparseTests
{
    /// <summary>Relative agreement of sums taken in different orders (dense blocked vs sparse sequential).</summary>
    const double Rounding = 1e-12;

    /// <summary>A random LIBSVM text: n rows, d features, about one in five present, labels in {1, 2, 3}.</summary>
    internal static string RandomLibSvm(int n, int d, ulong seed)
    {
        var rng = new Rng(seed);
        var text = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            text.Append(1 + rng.NextIndex(3));
            for (var j = 1; j <= d; j++)
                if (rng.NextDouble() < 0.2) text.Append(' ').Append(j).Append(':').Append((rng.NextGaussian()).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Linear MSE with uniform delays up to 4 and two twins, on a seeded 70/30 split of the data.</summary>
    internal static CellSpec Spec(Dataset data) => new(new ProblemSpec(ProblemKind.LinearMse), new FixedSource(FixedSource.Split(data, 0.3, 3, "random")),
        new UniformStaleness(4), 0.05, 400, 2, Sampling.Uniform, 2, 100, 0.01, 3);

    internal static (Dataset Dense, Dataset Sparse) Both(string text, LabelMode mode = LabelMode.Multiclass)
    {
        var file = LibSvm.Parse(new StringReader(text), "random.svm");
        return (LibSvm.ToDatasets([file], mode, storage: Storage.Dense)[0], LibSvm.ToDatasets([file], mode, storage: Storage.Sparse)[0]);
    }

    static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= Rounding * (1 + Math.Abs(expected)), $"{expected} vs {actual}");

    [Fact]
    public void Sparse_rows_read_back_as_the_dense_rows()
    {
        var (dense, sparse) = Both(RandomLibSvm(50, 30, 1));
        Assert.False(dense.IsSparse);
        Assert.True(sparse.IsSparse);
        Assert.True(sparse.StoredValues < dense.StoredValues / 3);
        for (var i = 0; i < dense.Count; i++)
        {
            Assert.Equal(dense.Row(i).ToArray(), sparse.Row(i).ToArray());
            Assert.Equal(dense.Label(i), sparse.Label(i));
            for (var j = 0; j < 30; j++) Assert.Equal(dense.Row(i)[j], sparse.Row(i)[j]);
        }
    }

    [Fact]
    public void Every_problem_gives_the_same_losses_and_gradients_on_sparse_rows()
    {
        var (dense, sparse) = Both(RandomLibSvm(40, 25, 2));
        IProblem[] problems = [new LeastSquares(25), new Logistic(25, 0.01), new LinearMse(25, 3), new Mlp(25, [7], 3)];
        foreach (var problem in problems)
        {
            var w = new double[problem.ParameterCount];
            problem.Initialize(new Rng(3), 0.3, w);
            Close(problem.MeanLoss(w, dense), problem.MeanLoss(w, sparse));
            var gDense = new double[w.Length];
            var gSparse = new double[w.Length];
            int[] batch = [0, 5, 17, 39];
            problem.BatchGradient(w, dense, batch, gDense);
            problem.BatchGradient(w, sparse, batch, gSparse);
            for (var j = 0; j < w.Length; j++) Close(gDense[j], gSparse[j]);
        }
    }

    [Fact]
    public void Curvature_is_the_same_on_sparse_rows()
    {
        var (dense, sparse) = Both(RandomLibSvm(60, 20, 4), LabelMode.Regression);
        Close(Curvature.LargestEigenvalue(new LeastSquares(20), dense), Curvature.LargestEigenvalue(new LeastSquares(20), sparse));
        Close(Curvature.LargestEigenvalue(new LinearMse(20, 2), dense), Curvature.LargestEigenvalue(new LinearMse(20, 2), sparse));
    }

    [Fact]
    public void A_split_stays_sparse_and_a_twin_overrides_one_row_densely()
    {
        var (_, sparse) = Both(RandomLibSvm(30, 12, 5));
        var split = FixedSource.Split(sparse, 0.3, 7, "random");
        Assert.True(split.Train.IsSparse && split.Test.IsSparse);
        Assert.Equal(21, split.Train.Count);
        var replacement = Enumerable.Range(0, 12).Select(j => (double)j).ToArray();
        var twin = split.Train.WithReplacedRow(4, replacement, 2);
        Assert.Equal(replacement, twin.Row(4).ToArray());
        Assert.False(twin.Row(4).IsSparse);
        Assert.Equal(split.Train.Row(5).ToArray(), twin.Row(5).ToArray());
    }

    [Fact]
    public void A_file_with_more_nonzeros_than_one_parser_chunk_reads_back_exactly()
    {
        // 20,000 rows × 60 nonzeros = 1.2 M, past the parser's 1,048,576-element chunks: every value names its place.
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(i % 2 == 0 ? "-1" : "+1");
            for (var j = 1; j <= 60; j++) text.Append(' ').Append(j * 3).Append(':').Append(i * 100 + j);
            text.Append('\n');
        }
        var data = LibSvm.ToDatasets([LibSvm.Parse(new StringReader(text.ToString()), "big.svm")], LabelMode.Binary, storage: Storage.Sparse)[0];
        Assert.Equal(1_200_000, data.StoredValues);
        foreach (var i in new[] { 0, 17_476, 17_477, 19_999 }) // row 17,476 straddles the first chunk boundary
        {
            var row = data.Row(i);
            Assert.Equal(60, row.Values.Length);
            for (var k = 0; k < 60; k++)
            {
                Assert.Equal(3 * (k + 1) - 1, row.Indices[k]);
                Assert.Equal(i * 100 + k + 1, row.Values[k]);
            }
        }
    }

    [Fact]
    public void Auto_storage_follows_the_density()
    {
        var sparseText = "1 1:1\n2 50:1\n1 99:2\n";
        var denseText = "1 1:1 2:1 3:1\n2 1:1 2:2\n1 3:2\n";
        Assert.True(LibSvm.ToDatasets([LibSvm.Parse(new StringReader(sparseText), "s")], LabelMode.Binary, storage: Storage.Auto)[0].IsSparse);
        Assert.False(LibSvm.ToDatasets([LibSvm.Parse(new StringReader(denseText), "d")], LabelMode.Binary, storage: Storage.Auto)[0].IsSparse);
    }

    [Fact]
    public void Dense_and_sparse_storage_train_the_same_model()
    {
        var (dense, sparse) = Both(RandomLibSvm(80, 40, 6));
        var onDense = DirectEngine.Run(Replicate.Prepare(Spec(dense), 9), 0);
        var onSparse = DirectEngine.Run(Replicate.Prepare(Spec(sparse), 9), 0);
        // Every trajectory: the twins also read the dense replacement row a sparse twin dataset carries.
        for (var k = 0; k < onDense.FinalParameters.Length; k++)
            for (var j = 0; j < onDense.FinalParameters[k].Length; j++) Close(onDense.FinalParameters[k][j], onSparse.FinalParameters[k][j]);
        Assert.NotEqual(0, onDense.Final.GenGap);
        Close(onDense.Final.GenGap, onSparse.Final.GenGap);
        Close(onDense.Final.TwinL2, onSparse.Final.TwinL2);
        Close(onDense.StabilityLoss, onSparse.StabilityLoss);
    }

    [Property(MaxTest = 200)]
    public bool Sparse_dot_and_axpy_match_dense_ones(byte size, ulong seed)
    {
        var d = 1 + size % 40;
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, d).Select(_ => rng.NextDouble() < 0.3 ? rng.NextGaussian() : 0).ToArray();
        var w = Enumerable.Range(0, d).Select(_ => rng.NextGaussian()).ToArray();
        var indices = Enumerable.Range(0, d).Where(j => x[j] != 0).ToArray();
        var row = new FeatureRow(indices, indices.Select(j => x[j]).ToArray(), d);
        var dense = Kernels.Dot(x, w);
        var yDense = w.ToArray();
        var ySparse = w.ToArray();
        Kernels.AddScaled(yDense, 0.7, (ReadOnlySpan<double>)x);
        Kernels.AddScaled(ySparse, 0.7, row);
        return Math.Abs(dense - Kernels.Dot(row, w)) <= Rounding * d * (1 + Math.Abs(dense)) && yDense.SequenceEqual(ySparse);
    }
}

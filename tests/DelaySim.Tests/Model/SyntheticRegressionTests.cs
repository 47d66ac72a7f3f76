using DelaySim.Model.Data;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;

namespace DelaySim.Tests.Model;

public class SyntheticRegressionTests
{
    [Fact]
    public void Exact_population_risk_matches_a_Monte_Carlo_estimate()
    {
        var generator = new SyntheticRegression(dimension: 10, noise: 0.7, decay: 1, scale: 2, seed: 3);
        var problem = new LeastSquares(10);
        var rng = new Rng(17);
        var w = Enumerable.Range(0, 10).Select(_ => rng.NextGaussian()).ToArray();
        const int draws = 200_000;
        var sample = generator.Sample(draws, Streams.For(3, "mc"));
        var losses = Enumerable.Range(0, draws).Select(i => problem.Loss(w, sample.Row(i), sample.Label(i))).ToArray();
        var mean = losses.Average();
        var standardError = Math.Sqrt(losses.Select(l => (l - mean) * (l - mean)).Sum() / (draws - 1) / draws);
        var exact = generator.PopulationRisk(w);
        // Four standard errors: a false alarm about once in 16,000 seeds; this seed is fixed.
        Assert.InRange(exact, mean - 4 * standardError, mean + 4 * standardError);
    }

    [Fact]
    public void Population_risk_at_the_true_weights_is_half_the_noise_variance()
    {
        var generator = new SyntheticRegression(5, 0.5, 0, 1, 1);
        Assert.Equal(0.125, generator.PopulationRisk(generator.TrueWeights), 15);
    }

    [Fact]
    public void Power_iteration_finds_the_top_eigenvalue_of_a_diagonal_design()
    {
        // Rows √λ_j e_j (scaled by √n) give (1/n)XᵀX = diag(λ); λ_max = 3.
        double[] lambda = [1, 3, 0.5];
        var n = lambda.Length;
        var x = new double[n * n];
        for (var j = 0; j < n; j++) x[j * n + j] = Math.Sqrt(lambda[j] * n);
        var data = new Dataset(x, new double[n], n);
        Assert.Equal(3, Curvature.LargestEigenvalue(new LeastSquares(n), data), 9);
        Assert.Equal(2, Curvature.StableStepTimesCurvature(0), 12);
        Assert.Equal(2 * Math.Sin(Math.PI / 10), Curvature.StableStepTimesCurvature(2), 12);
    }

    /// <summary>A test set drawn straight into lanes holds the draws of <see cref="SyntheticRegression.Sample"/>, bit for bit, and evaluates the same.</summary>
    [Theory]
    [InlineData(1, 5)]
    [InlineData(8, 3)]
    [InlineData(21, 22)]
    [InlineData(64, 128)]
    public void A_set_drawn_into_lanes_has_the_rows_labels_and_losses_of_the_row_major_draw(int n, int d)
    {
        var generator = new SyntheticRegression(d, noise: 0.5, decay: 1, scale: 1, seed: 9);
        var rows = generator.Sample(n, Streams.For(4, "data/test"));
        var lanes = generator.SampleInLanes(n, Streams.For(4, "data/test"));
        Assert.Equal(n, lanes.Count);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(rows.Label(i)), BitConverter.DoubleToInt64Bits(lanes.Label(i)));
            Assert.True(rows.Row(i).Values.ToArray().Select(BitConverter.DoubleToInt64Bits)
                .SequenceEqual(lanes.Row(i).Values.ToArray().Select(BitConverter.DoubleToInt64Bits)), $"row {i} differs");
        }
        Assert.Equal(rows.RowLanes!.Select(BitConverter.DoubleToInt64Bits), lanes.RowLanes!.Select(BitConverter.DoubleToInt64Bits));
        var problem = new LeastSquares(d);
        ReadOnlyMemory<double> w = Enumerable.Range(0, d).Select(j => Math.Sin(j + 1.0)).ToArray();
        Assert.Equal(BitConverter.DoubleToInt64Bits(problem.MeanLosses([w], rows)[0]), BitConverter.DoubleToInt64Bits(problem.MeanLosses([w], lanes)[0]));
    }

    /// <summary>
    /// λ_max needs a replicate's training set only: drawing it alone must not draw the test set (on a cluster run's
    /// coordinator that was a 4 MB draw per run, before any cell was handed out), and must give the split's very object.
    /// </summary>
    [Fact]
    public void A_training_set_loaded_alone_is_the_splits_and_costs_no_test_set()
    {
        const int d = 16, n = 32, testCount = 50_000; // a test set of 6.4 MB
        var source = new SyntheticSource(new SyntheticRegression(d, 0.5, 1, 1, seed: 2), n, testCount);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var train = source.LoadTrain(7);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, n * d * sizeof(double), 1 << 20);
        var split = source.Load(7);
        Assert.Same(train, split.Train);
        Assert.Same(train, source.LoadTrain(7));
        Assert.Equal(testCount, split.Test.Count);

        // The same sets, bit for bit, as when the split is loaded first.
        var other = new SyntheticSource(new SyntheticRegression(d, 0.5, 1, 1, seed: 2), n, testCount).Load(7);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(other.Train.Label(i)), BitConverter.DoubleToInt64Bits(train.Label(i)));
            Assert.True(other.Train.Row(i).Values.SequenceEqual(train.Row(i).Values), $"row {i} differs");
        }
        Assert.Equal(other.Test.RowLanes!.Select(BitConverter.DoubleToInt64Bits), split.Test.RowLanes!.Select(BitConverter.DoubleToInt64Bits));
    }
}

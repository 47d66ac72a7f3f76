using BenchmarkDotNet.Attributes;
using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;

namespace DelaySim.Bench;

/// <summary>
/// The direct engine on reuters-shaped data (d = 8,315, 42 nonzeros a row, 0.5 %) stored dense and sparse: sparse rows
/// cut the gradient's dot and axpy to the nonzeros; the update, the history ring and the gradient buffer stay O(d).
/// </summary>
[MemoryDiagnoser]
public class SparseBenchmarks
{
    const int Features = 8315, Rows = 2000, NonZeros = 42, Steps = 20_000;
    Replicate? _dense, _sparse;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(3);
        var rowStart = new int[Rows + 1];
        var columns = new List<int>();
        var values = new List<double>();
        var labels = new double[Rows];
        for (var i = 0; i < Rows; i++)
        {
            foreach (var j in Enumerable.Range(0, NonZeros).Select(_ => rng.NextIndex(Features)).Distinct().Order())
            {
                columns.Add(j);
                values.Add(rng.NextDouble());
            }
            rowStart[i + 1] = columns.Count;
            labels[i] = rng.NextGaussian();
        }
        var sparse = Dataset.Sparse(rowStart, columns.ToArray(), values.ToArray(), labels, Features);
        var dense = new Dataset(Enumerable.Range(0, Rows).SelectMany(i => sparse.Row(i).ToArray()).ToArray(), labels, Features);
        _dense = Prepare(dense);
        _sparse = Prepare(sparse);
    }

    static Replicate Prepare(Dataset data) => Replicate.Prepare(new CellSpec(new ProblemSpec(ProblemKind.LeastSquares),
        new FixedSource(new DataSplit(data, data, "bench")), new FixedStaleness(4), 0.01, Steps, 1, Sampling.Uniform, 0, Steps, 0, 5), 7);

    [Benchmark(Baseline = true)]
    public ReplicateResult Dense() => DirectEngine.Run(_dense!, 0);

    [Benchmark]
    public ReplicateResult Sparse() => DirectEngine.Run(_sparse!, 0);
}

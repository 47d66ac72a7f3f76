using BenchmarkDotNet.Attributes;
using DelaySim.Model.Data;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;

namespace DelaySim.Bench;

/// <summary>
/// The two largest pieces of the default scenario's arithmetic, one seed's worth each, for a same-session comparison
/// with <c>bench/numpy/components.py</c> (which times NumPy's <c>standard_normal</c> and <c>X @ W</c> on the same
/// shapes): drawing the 4,064 × 128 synthetic rows (done once per seed, shared by every cell), and evaluating the 11
/// checkpoints of trajectory 0 on them (once per cell and seed).
/// </summary>
public class DefaultWorkBenchmarks
{
    const int Dimension = 128, Rows = 4064, Checkpoints = 11;
    SyntheticRegression _law = null!;
    Dataset _rows = null!;
    IProblem _problem = null!;
    ReadOnlyMemory<double>[] _checkpoints = [];

    [GlobalSetup]
    public void Setup()
    {
        _law = new SyntheticRegression(Dimension, noise: 0.5, decay: 1, scale: 1, seed: 1);
        _rows = _law.SampleInLanes(Rows, new Rng(2));
        _problem = new ProblemSpec(ProblemKind.LeastSquares).Create(Dimension, 0);
        var rng = new Rng(3);
        _checkpoints = Enumerable.Range(0, Checkpoints)
            .Select(_ => (ReadOnlyMemory<double>)Enumerable.Range(0, Dimension).Select(_ => rng.NextGaussian() / 16).ToArray()).ToArray();
    }

    /// <summary>520,192 Gaussian draws (polar method on xoshiro256**), scaled by √λ_j, with their labels, stored in lanes.</summary>
    [Benchmark]
    public Dataset DrawRows() => _law.SampleInLanes(Rows, new Rng(4));

    readonly double[] _normals = new double[Rows * Dimension];
    readonly Rng _stream = new(5);

    /// <summary>The rows' 520,192 standard normals alone: the polar method (the default) …</summary>
    [Benchmark]
    public void PolarNormals() => _stream.FillGaussian(_normals);

    /// <summary>… and the ziggurat (<c>data.synthetic.sampler = ziggurat</c>).</summary>
    [Benchmark]
    public void ZigguratNormals() => _stream.FillZiggurat(_normals);

    /// <summary>F(w) over the 4,064 rows for 11 parameter vectors: 5.7 M multiply-adds in one pass over the rows.</summary>
    [Benchmark]
    public double[] EvaluateCheckpoints() => _problem.MeanLosses(_checkpoints, _rows);
}

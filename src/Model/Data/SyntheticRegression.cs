using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Data;

/// <summary>
/// Linear-regression data with known law: x ~ N(0, diag(λ)), y = xᵀw* + ε, ε ~ N(0, σ²). Because the law is known the
/// population risk of ½(xᵀw − y)² is exact: F(w) = ½[(w − w*)ᵀ diag(λ) (w − w*) + σ²].
/// The spectrum λ_j = λ_1 · j^(−decay) makes the problem ill-conditioned in a controlled way; decay = 0 is isotropic.
/// </summary>
public sealed class SyntheticRegression
{
    /// <param name="sampler">How the rows' normals are drawn (w* is drawn by the polar method either way, so both samplers
    /// pose the same problem).</param>
    public SyntheticRegression(int dimension, double noise, double decay, double scale, ulong seed, GaussianSampler sampler = GaussianSampler.Polar)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), "must be positive");
        if (noise < 0) throw new ArgumentOutOfRangeException(nameof(noise), "must be ≥ 0");
        if (scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale), "must be positive");
        Dimension = dimension;
        Noise = noise;
        Sampler = sampler;
        Eigenvalues = new double[dimension];
        for (var j = 0; j < dimension; j++) Eigenvalues[j] = scale * Math.Pow(j + 1, -decay);
        _scales = Eigenvalues.Select(Math.Sqrt).ToArray();
        var rng = Streams.For(seed, "synthetic/w-star");
        TrueWeights = new double[dimension];
        for (var j = 0; j < dimension; j++) TrueWeights[j] = rng.NextGaussian() / Math.Sqrt(dimension);
    }

    public int Dimension { get; }
    public double Noise { get; }
    public GaussianSampler Sampler { get; }
    public double[] Eigenvalues { get; }
    public double[] TrueWeights { get; }

    readonly double[] _scales; // √λ_j: x_j = √λ_j · N(0, 1)

    /// <summary>Draws n samples from the stream <paramref name="rng"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Dataset Sample(int n, Rng rng)
    {
        var d = Dimension;
        var x = new double[n * d];
        var y = new double[n];
        for (var i = 0; i < n; i++) y[i] = Draw(rng, x.AsSpan(i * d, d));
        return new Dataset(x, y, d);
    }

    /// <summary>
    /// The same n samples as <see cref="Sample"/> (the same draws in the same order, the same bits), stored in lanes for
    /// evaluation (<see cref="Dataset.InLanes"/>): each group of eight rows is drawn into a small buffer and scattered,
    /// and the group's eight labels are summed side by side in vector lanes, each lane in its row's feature order as
    /// <see cref="Draw"/> sums it, so eight dependency chains run at once instead of one.
    /// </summary>
    /// <param name="spares">Where the lanes may come from (every value is written before any is read).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Dataset SampleInLanes(int n, Rng rng, SpareArrays? spares = null)
    {
        const int rows = Dataset.LaneRows;
        var d = Dimension;
        var groups = n / rows;
        var lanes = spares?.Take(groups * rows * d) ?? new double[groups * rows * d];
        var tail = new double[(n - groups * rows) * d];
        var y = new double[n];
        var buffer = new double[rows * d];
        Span<double> noise = stackalloc double[rows];
        for (var g = 0; g < groups; g++)
        {
            for (var r = 0; r < rows; r++) noise[r] = DrawFeatures(rng, buffer.AsSpan(r * d, d));
            var group = lanes.AsSpan(g * rows * d, rows * d);
            ref var from = ref MemoryMarshal.GetArrayDataReference(buffer);
            ref var to = ref MemoryMarshal.GetReference(group);
            for (var r = 0; r < rows; r++)
            {
                ref var row = ref Unsafe.Add(ref from, r * d);
                for (var j = 0; j < d; j++) Unsafe.Add(ref to, j * rows + r) = Unsafe.Add(ref row, j);
            }
            var (low, high) = (Vector256<double>.Zero, Vector256<double>.Zero);
            for (var j = 0; j < d; j++)
            {
                var w = Vector256.Create(TrueWeights[j]);
                low += Vector256.LoadUnsafe(ref to, (nuint)(j * rows)) * w;
                high += Vector256.LoadUnsafe(ref to, (nuint)(j * rows + 4)) * w;
            }
            for (var r = 0; r < rows; r++) y[g * rows + r] = (r < 4 ? low[r] : high[r - 4]) + Noise * noise[r];
        }
        for (var i = groups * rows; i < n; i++) y[i] = Draw(rng, tail.AsSpan((i - groups * rows) * d, d));
        return Dataset.InLanes(lanes, tail, y, d);
    }

    /// <summary>Draws one sample into <paramref name="row"/> and returns its label.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Draw(Rng rng, Span<double> row)
    {
        row = row[..Dimension];
        var noise = DrawFeatures(rng, row);
        var weights = TrueWeights.AsSpan(0, row.Length);
        var dot = 0.0;
        for (var j = 0; j < row.Length; j++) dot += row[j] * weights[j];
        return dot + Noise * noise;
    }

    /// <summary>
    /// A sample's features x_j = √λ_j·N(0, 1) into <paramref name="row"/>, then the standard normal of its label noise,
    /// returned: the order in which every sample takes its draws from the stream.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    double DrawFeatures(Rng rng, Span<double> row)
    {
        var ziggurat = Sampler == GaussianSampler.Ziggurat;
        if (ziggurat) rng.FillZiggurat(row);
        else rng.FillGaussian(row);
        ref var x = ref MemoryMarshal.GetReference(row);
        ref var scale = ref MemoryMarshal.GetArrayDataReference(_scales);
        var j = 0;
        for (; j <= row.Length - 4; j += 4)
            (Vector256.LoadUnsafe(ref x, (nuint)j) * Vector256.LoadUnsafe(ref scale, (nuint)j)).StoreUnsafe(ref x, (nuint)j);
        for (; j < row.Length; j++) Unsafe.Add(ref x, j) *= Unsafe.Add(ref scale, j);
        return ziggurat ? Ziggurat.Next(rng) : rng.NextGaussian();
    }

    /// <summary>Exact F(w) = ½[(w − w*)ᵀ Λ (w − w*) + σ²] for the least-squares loss.</summary>
    public double PopulationRisk(ReadOnlySpan<double> w)
    {
        var q = 0.0;
        for (var j = 0; j < Dimension; j++)
        {
            var e = w[j] - TrueWeights[j];
            q += Eigenvalues[j] * e * e;
        }
        return 0.5 * (q + Noise * Noise);
    }
}

using DelaySim.Model.Data;
using DelaySim.Model.Randomness;
using System.Runtime.Intrinsics;

namespace DelaySim.Model.Problems;

/// <summary>
/// A per-sample loss f(w; x, y) and its gradient. Implementations are immutable and thread-safe; every method is a pure
/// function of its arguments.
/// </summary>
public interface IProblem
{
    /// <summary>Short name used in files: <c>least-squares</c>, <c>linear-mse</c>, <c>logistic</c>.</summary>
    string Name { get; }

    /// <summary>Length of the parameter vector w.</summary>
    int ParameterCount { get; }

    double Loss(ReadOnlySpan<double> w, FeatureRow x, double y);

    /// <summary>g ← g + scale · ∇_w f(w; x, y).</summary>
    void AddGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g);

    /// <summary>
    /// g ← scale · ∇_w f(w; x, y): the bits of clearing g and calling <see cref="AddGradient"/>, which is the default. A
    /// problem can write g in one pass instead (0 + p and p + 0 are the same double, signed zeros included).
    /// </summary>
    void SetGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g)
    {
        g.Clear();
        AddGradient(w, x, y, scale, g);
    }

    /// <summary>Initial point: weights N(0, sd²) from <paramref name="rng"/>, biases 0.</summary>
    void Initialize(Rng rng, double sd, Span<double> w);
}

/// <summary>
/// A loss of k linear outputs, f(w; x, y) = ℓ(xᵀw_1, …, xᵀw_k, y; w), so a block of rows can share one pass over each
/// w_c (see <see cref="ProblemExtensions.MeanLosses"/>).
/// </summary>
internal interface ILinearLoss
{
    /// <summary>k, the number of linear outputs.</summary>
    int Outputs { get; }

    /// <summary>w_c, the weights of output <paramref name="c"/> within w.</summary>
    ReadOnlySpan<double> OutputWeights(ReadOnlySpan<double> w, int c);

    /// <summary>The part of the loss computed once per w (a regulariser), or 0.</summary>
    double ConstantTerm(ReadOnlySpan<double> w);

    /// <summary>f given the dots xᵀw_c; <c>Loss</c> returns exactly this, so both paths give the same bits.</summary>
    double LossOfDots(ReadOnlySpan<double> dots, double y, ReadOnlySpan<double> w, double constant);

    /// <summary>
    /// The losses of four rows whose dots sit in vector lanes (<paramref name="dots"/>[c] = the four rows' xᵀw_c):
    /// lane r is <see cref="LossOfDots"/> of row r, bit for bit. By default one row at a time; a loss of plain
    /// arithmetic does all four at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Vector256<double> LossOfDotLanes(ReadOnlySpan<Vector256<double>> dots, Vector256<double> y, ReadOnlySpan<double> w, double constant)
    {
        Span<double> row = stackalloc double[dots.Length];
        Span<double> losses = stackalloc double[4];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < dots.Length; c++) row[c] = dots[c][r];
            losses[r] = LossOfDots(row, y[r], w, constant);
        }
        return Vector256.Create(losses);
    }
}

/// <summary>
/// A problem with its own mini-batch gradient. It must return exactly the bits of the per-sample loop in
/// <see cref="ProblemExtensions.BatchGradient"/> (each parameter's terms added in batch order); it can share reads of
/// g across the batch.
/// </summary>
internal interface IBatchGradient
{
    void BatchGradient(ReadOnlySpan<double> w, Dataset data, ReadOnlySpan<int> batch, Span<double> g);
}

/// <summary>
/// A problem that takes two samples' losses at once, with exactly the bits of two <see cref="IProblem.Loss"/> calls; it
/// can read its parameters once for both (<see cref="ProblemExtensions.MeanLosses"/> takes the rows in pairs).
/// </summary>
internal interface IPairLoss
{
    (double First, double Second) Losses(ReadOnlySpan<double> w, FeatureRow x0, double y0, FeatureRow x1, double y1);
}

internal static class ProblemExtensions
{
    /// <summary>F_S(w) = (1/n) Σ_i f(w; z_i), summed in index order.</summary>
    public static double MeanLoss(this IProblem problem, ReadOnlySpan<double> w, Dataset data)
    {
        var sum = 0.0;
        for (var i = 0; i < data.Count; i++) sum += problem.Loss(w, data.Row(i), data.Label(i));
        return sum / data.Count;
    }

    /// <summary>Rows per block of <see cref="MeanLosses"/>: small enough to stay in cache while every vector meets them.</summary>
    const int RowBlock = 64;

    /// <summary>
    /// F_S(w_v) for several parameter vectors with one pass over the data: the rows come in cache-sized blocks that
    /// every vector meets in turn, and each sum still runs in index order, exactly as in <see cref="MeanLoss"/>, so the
    /// bits are the same. Evaluating a replicate's checkpoints together reads its data once instead of once per
    /// checkpoint, which is what bounds the evaluation (memory bandwidth, not arithmetic).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] MeanLosses(this IProblem problem, IReadOnlyList<ReadOnlyMemory<double>> ws, Dataset data)
    {
        var sums = new double[ws.Count];
        var done = data.IsSparse || problem is not ILinearLoss linear ? 0 : LinearLossSums(linear, ws, data, sums);
        for (var start = done; start < data.Count; start += RowBlock)
        {
            var end = Math.Min(data.Count, start + RowBlock);
            for (var v = 0; v < ws.Count; v++)
            {
                var w = ws[v].Span;
                var sum = sums[v];
                var i = start;
                if (problem is IPairLoss pairs)
                    for (; i + 1 < end; i += 2)
                    {
                        var (first, second) = pairs.Losses(w, data.Row(i), data.Label(i), data.Row(i + 1), data.Label(i + 1));
                        sum += first;
                        sum += second;
                    }
                for (; i < end; i++) sum += problem.Loss(w, data.Row(i), data.Label(i));
                sums[v] = sum;
            }
        }
        return sums.Select(sum => sum / data.Count).ToArray();
    }

    /// <summary>
    /// Whether <see cref="LinearLossSums"/> takes eight-row dots in 512-bit vectors (where they are native) or in two
    /// four-row halves. Both give the same bits; the tests switch it to cover the path this machine would not take.
    /// </summary>
    internal static bool WideLanes = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// The dense linear case of <see cref="MeanLosses"/>: rows eight at a time in vector lanes meet every vector, each
    /// output's dots taken by <see cref="Kernels.DotLanes(ReadOnlySpan{Vector512{double}}, ReadOnlySpan{double})"/> where
    /// 512-bit vectors are native and by its four-row halves elsewhere (the bits of single dots either way), the losses of
    /// each half by <see cref="ILinearLoss.LossOfDotLanes"/>. Returns how many rows it summed.
    /// </summary>
    static int LinearLossSums(ILinearLoss linear, IReadOnlyList<ReadOnlyMemory<double>> ws, Dataset data, double[] sums)
    {
        if (data.RowLanes is not { } laneData) return 0;
        const int rows = Dataset.LaneRows;
        var wide = WideLanes;
        var lanes512 = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector512<double>>(laneData);
        var lanes256 = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector256<double>>(laneData);
        var d = data.FeatureCount;
        var constants = ws.Select(w => linear.ConstantTerm(w.Span)).ToArray();
        var k = linear.Outputs;
        // Every vector's output weights side by side ([v][o][feature]), so the loop below makes no call to find them.
        var weights = new double[ws.Count * k * d];
        for (var v = 0; v < ws.Count; v++)
            for (var o = 0; o < k; o++) linear.OutputWeights(ws[v].Span, o).CopyTo(weights.AsSpan((v * k + o) * d, d));
        var wide512 = wide ? new Vector512<double>[ws.Count * k] : [];
        Span<Vector256<double>> low = stackalloc Vector256<double>[k]; // low[o] = rows 0–3's xᵀw_o, high[o] rows 4–7's
        Span<Vector256<double>> high = stackalloc Vector256<double>[k];
        for (var g = 0; g < data.Count / rows; g++)
        {
            var i = rows * g;
            var y0 = Vector256.Create(data.Label(i), data.Label(i + 1), data.Label(i + 2), data.Label(i + 3));
            var y1 = Vector256.Create(data.Label(i + 4), data.Label(i + 5), data.Label(i + 6), data.Label(i + 7));
            if (wide)
            {
                // Every output's dots of this group, two weight rows a pass (one load of the rows serves both).
                var x = lanes512.Slice(g * d, d);
                var j = 0;
                for (; j + 1 < wide512.Length; j += 2)
                    (wide512[j], wide512[j + 1]) = Kernels.DotLanes(x, weights.AsSpan(j * d, d), weights.AsSpan((j + 1) * d, d));
                if (j < wide512.Length) wide512[j] = Kernels.DotLanes(x, weights.AsSpan(j * d, d));
            }
            for (var v = 0; v < ws.Count; v++)
            {
                for (var o = 0; o < k; o++)
                {
                    if (wide) (low[o], high[o]) = (wide512[v * k + o].GetLower(), wide512[v * k + o].GetUpper());
                    else
                    {
                        var w = weights.AsSpan((v * k + o) * d, d);
                        var x = lanes256.Slice(2 * g * d, 2 * d);
                        (low[o], high[o]) = (Kernels.DotLanes(x, 0, w), Kernels.DotLanes(x, 1, w));
                    }
                }
                var l0 = linear.LossOfDotLanes(low, y0, ws[v].Span, constants[v]);
                var l1 = linear.LossOfDotLanes(high, y1, ws[v].Span, constants[v]);
                sums[v] = sums[v] + l0[0] + l0[1] + l0[2] + l0[3] + l1[0] + l1[1] + l1[2] + l1[3];
            }
        }
        return data.Count / rows * rows;
    }

    /// <summary>g ← (1/b) Σ_{j in batch} ∇f(w; z_j), in batch order. The one gradient routine both engines call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BatchGradient(this IProblem problem, ReadOnlySpan<double> w, Dataset data, ReadOnlySpan<int> batch, Span<double> g)
    {
        if (problem is IBatchGradient batched)
        {
            batched.BatchGradient(w, data, batch, g);
            return;
        }
        if (batch.IsEmpty)
        {
            g.Clear();
            return;
        }
        var scale = 1.0 / batch.Length;
        problem.SetGradient(w, data.Row(batch[0]), data.Label(batch[0]), scale, g);
        foreach (var i in batch[1..]) problem.AddGradient(w, data.Row(i), data.Label(i), scale, g);
    }
}

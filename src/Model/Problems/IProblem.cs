using DelaySim.Model.Data;
using DelaySim.Model.Randomness;

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

    /// <summary>Initial point: weights N(0, sd²) from <paramref name="rng"/>, biases 0.</summary>
    void Initialize(Rng rng, double sd, Span<double> w);
}

/// <summary>A loss of the form f(w; x, y) = ℓ(xᵀw, y) + c(w), so a batch of rows can share one pass over w.</summary>
internal interface ILinearLoss
{
    /// <summary>c(w), the part of the loss that does not depend on the sample (a regulariser), or 0.</summary>
    double ConstantTerm(ReadOnlySpan<double> w);

    /// <summary>f given xᵀw and c(w); <c>Loss</c> returns exactly this, so both paths give the same bits.</summary>
    double LossOfDot(double dot, double y, double constant);
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

    /// <summary>
    /// F_S(w_v) for several parameter vectors with one pass over the data: each sum runs in index order, exactly as in
    /// <see cref="MeanLoss"/>, so the bits are the same. Evaluating a replicate's checkpoints together reads its data once
    /// instead of once per checkpoint, which is what bounds the evaluation (memory bandwidth, not arithmetic).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static double[] MeanLosses(this IProblem problem, IReadOnlyList<ReadOnlyMemory<double>> ws, Dataset data)
    {
        var means = new double[ws.Count];
        if (problem is not ILinearLoss linear || data.IsSparse)
        {
            for (var v = 0; v < ws.Count; v++) means[v] = problem.MeanLoss(ws[v].Span, data);
            return means;
        }
        var constants = ws.Select(w => linear.ConstantTerm(w.Span)).ToArray();
        var i = 0;
        for (; i + 4 <= data.Count; i += 4)
        {
            ReadOnlySpan<double> x0 = data.Row(i).Values, x1 = data.Row(i + 1).Values, x2 = data.Row(i + 2).Values, x3 = data.Row(i + 3).Values;
            var (y0, y1, y2, y3) = (data.Label(i), data.Label(i + 1), data.Label(i + 2), data.Label(i + 3));
            for (var v = 0; v < ws.Count; v++)
            {
                var (d0, d1, d2, d3) = Kernels.Dot4(x0, x1, x2, x3, ws[v].Span);
                var c = constants[v];
                means[v] = means[v] + linear.LossOfDot(d0, y0, c) + linear.LossOfDot(d1, y1, c) + linear.LossOfDot(d2, y2, c) + linear.LossOfDot(d3, y3, c);
            }
        }
        for (var v = 0; v < ws.Count; v++)
        {
            var w = ws[v].Span;
            var sum = means[v];
            for (var j = i; j < data.Count; j++) sum += problem.Loss(w, data.Row(j), data.Label(j));
            means[v] = sum / data.Count;
        }
        return means;
    }

    /// <summary>g ← (1/b) Σ_{j in batch} ∇f(w; z_j), in batch order. The one gradient routine both engines call.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void BatchGradient(this IProblem problem, ReadOnlySpan<double> w, Dataset data, ReadOnlySpan<int> batch, Span<double> g)
    {
        g.Clear();
        var scale = 1.0 / batch.Length;
        foreach (var i in batch) problem.AddGradient(w, data.Row(i), data.Label(i), scale, g);
    }
}

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

internal static class ProblemExtensions
{
    /// <summary>F_S(w) = (1/n) Σ_i f(w; z_i), summed in index order.</summary>
    public static double MeanLoss(this IProblem problem, ReadOnlySpan<double> w, Dataset data)
    {
        var sum = 0.0;
        for (var i = 0; i < data.Count; i++) sum += problem.Loss(w, data.Row(i), data.Label(i));
        return sum / data.Count;
    }

    /// <summary>g ← (1/b) Σ_{j in batch} ∇f(w; z_j), in batch order. The one gradient routine both engines call.</summary>
    public static void BatchGradient(this IProblem problem, ReadOnlySpan<double> w, Dataset data, ReadOnlySpan<int> batch, Span<double> g)
    {
        g.Clear();
        var scale = 1.0 / batch.Length;
        foreach (var i in batch) problem.AddGradient(w, data.Row(i), data.Label(i), scale, g);
    }
}

using DelaySim.Model.Data;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Problems;

/// <summary>
/// L2-regularised logistic regression on labels ±1 (a label ≤ 0, e.g. class 0, counts as −1): f = log(1 + exp(−y·xᵀw)) + (λ/2)‖w‖².
/// ∇f = −y·σ(−y·xᵀw)·x + λw. Strongly convex for λ &gt; 0; not a quadratic, so outside the paper's theory.
/// </summary>
internal sealed class Logistic(int features, double l2) : IProblem, ILinearLoss
{
    public string Name => "logistic";
    public int ParameterCount { get; } = features;
    public double L2 { get; } = l2 >= 0 ? l2 : throw new ArgumentOutOfRangeException(nameof(l2), "must be ≥ 0");

    static double Sign(double y) => y > 0 ? 1 : -1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Loss(ReadOnlySpan<double> w, FeatureRow x, double y) => LossOfDot(Kernels.Dot(x, w), y, ConstantTerm(w));

    public int Outputs => 1;
    public ReadOnlySpan<double> OutputWeights(ReadOnlySpan<double> w, int c) => w;
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double ConstantTerm(ReadOnlySpan<double> w) => L2 == 0 ? 0 : 0.5 * L2 * Kernels.Dot(w, w);
    public double LossOfDots(ReadOnlySpan<double> dots, double y, ReadOnlySpan<double> w, double constant) => LossOfDot(dots[0], y, constant);

    double LossOfDot(double dot, double y, double constant)
    {
        var m = -Sign(y) * dot;
        var log1pExp = m > 0 ? m + double.LogP1(Math.Exp(-m)) : double.LogP1(Math.Exp(m));
        return L2 == 0 ? log1pExp : log1pExp + constant;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g)
    {
        Kernels.AddScaled(g, RowCoefficient(w, x, y, scale), x);
        if (L2 != 0) Kernels.AddScaled(g, scale * L2, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g)
    {
        Kernels.SetScaled(g, RowCoefficient(w, x, y, scale), x);
        if (L2 != 0) Kernels.AddScaled(g, scale * L2, w);
    }

    /// <summary>The gradient's multiple of x: −scale·y·σ(−y·xᵀw), y = ±1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double RowCoefficient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale)
    {
        y = Sign(y);
        var m = -y * Kernels.Dot(x, w);
        var sigma = m >= 0 ? 1.0 / (1.0 + Math.Exp(-m)) : Math.Exp(m) / (1.0 + Math.Exp(m));
        return -scale * y * sigma;
    }

    public void Initialize(Rng rng, double sd, Span<double> w)
    {
        for (var j = 0; j < w.Length; j++) w[j] = sd * rng.NextGaussian();
    }
}

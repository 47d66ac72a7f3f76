using DelaySim.Model.Data;
using DelaySim.Model.Randomness;
using System.Runtime.Intrinsics;

namespace DelaySim.Model.Problems;

/// <summary>f(w; x, y) = ½(xᵀw − y)², ∇f = (xᵀw − y)·x. A convex quadratic; strongly convex when the data covariance is.</summary>
internal sealed class LeastSquares(int features) : IProblem, ILinearLoss
{
    public string Name => "least-squares";
    public int ParameterCount { get; } = features;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Loss(ReadOnlySpan<double> w, FeatureRow x, double y) => LossOfDot(Kernels.Dot(x, w), y);

    static double LossOfDot(double dot, double y)
    {
        var r = dot - y;
        return 0.5 * r * r;
    }

    public int Outputs => 1;
    public ReadOnlySpan<double> OutputWeights(ReadOnlySpan<double> w, int c) => w;
    public double ConstantTerm(ReadOnlySpan<double> w) => 0;
    public double LossOfDots(ReadOnlySpan<double> dots, double y, ReadOnlySpan<double> w, double constant) => LossOfDot(dots[0], y);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector256<double> LossOfDotLanes(ReadOnlySpan<Vector256<double>> dots, Vector256<double> y, ReadOnlySpan<double> w, double constant)
    {
        var r = dots[0] - y;
        return Vector256.Create(0.5) * r * r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g) =>
        Kernels.AddScaled(g, scale * (Kernels.Dot(x, w) - y), x);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g) =>
        Kernels.SetScaled(g, scale * (Kernels.Dot(x, w) - y), x);

    public void Initialize(Rng rng, double sd, Span<double> w)
    {
        for (var j = 0; j < w.Length; j++) w[j] = sd * rng.NextGaussian();
    }
}

using DelaySim.Model.Data;
using DelaySim.Model.Randomness;
using System.Runtime.Intrinsics;

namespace DelaySim.Model.Problems;

/// <summary>
/// The paper's model: k linear outputs o = Wx + b trained with the mean squared error on one-hot targets,
/// f = (1/k) Σ_c (o_c − t_c)² (PyTorch's MSELoss with mean reduction). A convex quadratic in (W, b).
/// Parameters are laid out as W row-major (k × d) followed by b (k). Binary labels ±1 map to classes 0/1.
/// </summary>
internal sealed class LinearMse : IProblem, ILinearLoss
{
    readonly int _d;
    readonly int _k;

    public LinearMse(int features, int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), "linear-mse needs at least two classes");
        _d = features;
        _k = classes;
        ParameterCount = classes * (features + 1);
    }

    public string Name => "linear-mse";
    public int ParameterCount { get; }

    int ClassOf(double y) => Labels.ClassOf(y, _k);

    double Output(ReadOnlySpan<double> w, FeatureRow x, int c) => Kernels.Dot(x, w.Slice(c * _d, _d)) + w[_k * _d + c];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Loss(ReadOnlySpan<double> w, FeatureRow x, double y)
    {
        var dots = _k <= 16 ? stackalloc double[16] : new double[_k];
        for (var c = 0; c < _k; c++) dots[c] = Kernels.Dot(x, w.Slice(c * _d, _d));
        return LossOfDots(dots[.._k], y, w, 0);
    }

    public int Outputs => _k;
    public ReadOnlySpan<double> OutputWeights(ReadOnlySpan<double> w, int c) => w.Slice(c * _d, _d);
    public double ConstantTerm(ReadOnlySpan<double> w) => 0;

    public double LossOfDots(ReadOnlySpan<double> dots, double y, ReadOnlySpan<double> w, double constant)
    {
        var target = ClassOf(y);
        var sum = 0.0;
        for (var c = 0; c < _k; c++)
        {
            var e = dots[c] + w[_k * _d + c] - (c == target ? 1.0 : 0.0);
            sum += e * e;
        }
        return sum / _k;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector256<double> LossOfDotLanes(ReadOnlySpan<Vector256<double>> dots, Vector256<double> y, ReadOnlySpan<double> w, double constant)
    {
        var classes = Vector256.Create((double)ClassOf(y[0]), ClassOf(y[1]), ClassOf(y[2]), ClassOf(y[3]));
        var sum = Vector256<double>.Zero;
        for (var c = 0; c < _k; c++)
        {
            var target = Vector256.ConditionalSelect(Vector256.Equals(classes, Vector256.Create((double)c)), Vector256<double>.One, Vector256<double>.Zero);
            var e = dots[c] + Vector256.Create(w[_k * _d + c]) - target;
            sum += e * e;
        }
        return sum / Vector256.Create((double)_k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g)
    {
        var target = ClassOf(y);
        for (var c = 0; c < _k; c++)
        {
            var coefficient = scale * (2.0 / _k) * (Output(w, x, c) - (c == target ? 1.0 : 0.0));
            Kernels.AddScaled(g.Slice(c * _d, _d), coefficient, x);
            g[_k * _d + c] += coefficient;
        }
    }

    public void Initialize(Rng rng, double sd, Span<double> w)
    {
        w.Clear();
        for (var j = 0; j < _k * _d; j++) w[j] = sd * rng.NextGaussian();
    }
}

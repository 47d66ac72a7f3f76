using DelaySim.Model.Data;
using System.Buffers;
using System.Numerics.Tensors;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Problems;

/// <summary>
/// A multi-layer perceptron with ReLU hidden layers and a softmax cross-entropy output: the non-convex counterpart of
/// the paper's MLP experiment. Parameters are laid out layer by layer, each as W (out × in, row-major) then b (out).
/// f(w; x, y) = logsumexp(z_L) − z_L[y]; the gradient is plain backpropagation. Scratch buffers come from the shared
/// array pool, so the problem stays immutable and thread-safe, and the arithmetic order is fixed.
/// </summary>
internal sealed class Mlp : IProblem
{
    readonly int[] _sizes;
    readonly int[] _offsets;

    public Mlp(int inputs, IReadOnlyList<int> hidden, int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), "an MLP classifier needs at least two classes");
        if (hidden.Any(h => h < 1)) throw new ArgumentOutOfRangeException(nameof(hidden), "hidden layer sizes must be ≥ 1");
        _sizes = [inputs, .. hidden, classes];
        _offsets = new int[_sizes.Length];
        var offset = 0;
        for (var l = 1; l < _sizes.Length; l++)
        {
            _offsets[l] = offset;
            offset += _sizes[l] * (_sizes[l - 1] + 1);
        }
        ParameterCount = offset;
    }

    public string Name => "mlp";
    public int ParameterCount { get; }
    int Layers => _sizes.Length - 1;
    int Classes => _sizes[^1];

    int ClassOf(double y) => Labels.ClassOf(y, Classes);

    ReadOnlySpan<double> Weights(ReadOnlySpan<double> w, int layer, int row) =>
        w.Slice(_offsets[layer] + row * _sizes[layer - 1], _sizes[layer - 1]);

    double Bias(ReadOnlySpan<double> w, int layer, int row) => w[_offsets[layer] + _sizes[layer] * _sizes[layer - 1] + row];

    /// <summary>Forward pass: fills the activations of every layer (index 0 = input copy) and returns the loss.</summary>
    double Forward(ReadOnlySpan<double> w, FeatureRow x, int target, double[][] activations)
    {
        x.CopyTo(activations[0]);
        for (var l = 1; l <= Layers; l++)
        {
            var input = activations[l - 1].AsSpan(0, _sizes[l - 1]);
            var output = activations[l].AsSpan(0, _sizes[l]);
            for (var r = 0; r < output.Length; r++)
            {
                var z = Kernels.Dot(Weights(w, l, r), input) + Bias(w, l, r);
                output[r] = l < Layers ? Math.Max(0, z) : z;
            }
        }
        var logits = activations[Layers].AsSpan(0, Classes);
        var max = TensorPrimitives.Max(logits);
        var sum = 0.0;
        foreach (var z in logits) sum += Math.Exp(z - max);
        return max + Math.Log(sum) - logits[target];
    }

    public double Loss(ReadOnlySpan<double> w, FeatureRow x, double y)
    {
        var activations = Rent();
        try
        {
            return Forward(w, x, ClassOf(y), activations);
        }
        finally
        {
            Return(activations);
        }
    }

    public void AddGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g)
    {
        var activations = Rent();
        var deltas = Rent();
        try
        {
            var target = ClassOf(y);
            Forward(w, x, target, activations);
            // δ_L = softmax(z_L) − onehot(y)
            var logits = activations[Layers].AsSpan(0, Classes);
            var delta = deltas[Layers].AsSpan(0, Classes);
            var max = TensorPrimitives.Max(logits);
            var sum = 0.0;
            for (var c = 0; c < Classes; c++) sum += delta[c] = Math.Exp(logits[c] - max);
            for (var c = 0; c < Classes; c++) delta[c] = delta[c] / sum - (c == target ? 1 : 0);
            for (var l = Layers; l >= 1; l--)
            {
                var input = activations[l - 1].AsSpan(0, _sizes[l - 1]);
                var current = deltas[l].AsSpan(0, _sizes[l]);
                var biasOffset = _offsets[l] + _sizes[l] * _sizes[l - 1];
                if (l > 1)
                {
                    // δ_{l−1} = (W_lᵀ δ_l) ⊙ 1[a_{l−1} > 0], computed before W's gradient is touched.
                    var previous = deltas[l - 1].AsSpan(0, _sizes[l - 1]);
                    previous.Clear();
                    for (var r = 0; r < current.Length; r++) Kernels.AddScaled(previous, current[r], Weights(w, l, r));
                    for (var j = 0; j < previous.Length; j++) if (input[j] <= 0) previous[j] = 0;
                }
                for (var r = 0; r < current.Length; r++)
                {
                    Kernels.AddScaled(g.Slice(_offsets[l] + r * _sizes[l - 1], _sizes[l - 1]), scale * current[r], input);
                    g[biasOffset + r] += scale * current[r];
                }
            }
        }
        finally
        {
            Return(activations);
            Return(deltas);
        }
    }

    /// <summary>He initialisation, N(0, 2/fan_in), when <paramref name="sd"/> is 0; otherwise N(0, sd²). Biases 0.</summary>
    public void Initialize(Rng rng, double sd, Span<double> w)
    {
        w.Clear();
        for (var l = 1; l <= Layers; l++)
        {
            var s = sd > 0 ? sd : Math.Sqrt(2.0 / _sizes[l - 1]);
            var weights = w.Slice(_offsets[l], _sizes[l] * _sizes[l - 1]);
            for (var j = 0; j < weights.Length; j++) weights[j] = s * rng.NextGaussian();
        }
    }

    double[][] Rent()
    {
        var buffers = new double[_sizes.Length][];
        for (var l = 0; l < buffers.Length; l++) buffers[l] = ArrayPool<double>.Shared.Rent(_sizes[l]);
        return buffers;
    }

    static void Return(double[][] buffers)
    {
        foreach (var b in buffers) ArrayPool<double>.Shared.Return(b);
    }
}

using DelaySim.Model.Data;
using System.Buffers;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Problems;

/// <summary>
/// A multi-layer perceptron with ReLU hidden layers and a softmax cross-entropy output: the non-convex counterpart of
/// the paper's MLP experiment. Parameters are laid out layer by layer, each as W (out × in, row-major) then b (out).
/// f(w; x, y) = logsumexp(z_L) − z_L[y]; the gradient is plain backpropagation. Scratch buffers come from the shared
/// array pool (one buffer of every layer's units), so the problem stays immutable and thread-safe, and the arithmetic order is fixed.
/// </summary>
internal sealed class Mlp : IProblem, IBatchGradient, IPairLoss
{
    readonly int[] _sizes;
    readonly int[] _offsets;
    readonly int[] _unitOffsets;
    readonly int _unitCount;

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
        _unitOffsets = new int[_sizes.Length];
        for (var l = 1; l < _sizes.Length; l++) _unitOffsets[l] = _unitOffsets[l - 1] + _sizes[l - 1];
        _unitCount = _unitOffsets[^1] + _sizes[^1];
    }

    public string Name => "mlp";
    public int ParameterCount { get; }
    int Layers => _sizes.Length - 1;
    int Classes => _sizes[^1];

    int ClassOf(double y) => Labels.ClassOf(y, Classes);

    /// <summary>W_l, the out × in weights of layer l (row-major), then b_l.</summary>
    ReadOnlySpan<double> WeightMatrix(ReadOnlySpan<double> w, int layer) => w.Slice(_offsets[layer], _sizes[layer] * _sizes[layer - 1]);

    int BiasOffset(int layer) => _offsets[layer] + _sizes[layer] * _sizes[layer - 1];

    /// <summary>Layer l's slice of a scratch buffer holding one value per unit of every layer (index 0 = input).</summary>
    Span<double> Units(Span<double> scratch, int layer) => scratch.Slice(_unitOffsets[layer], _sizes[layer]);

    /// <summary>Forward pass: fills the activations of every layer (index 0 = input copy) and returns the loss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    double Forward(ReadOnlySpan<double> w, FeatureRow x, int target, Span<double> activations)
    {
        x.CopyTo(Units(activations, 0));
        for (var l = 1; l <= Layers; l++)
        {
            Kernels.DotRows(WeightMatrix(w, l), Units(activations, l - 1), Units(activations, l));
            Activate(w, l, Units(activations, l));
        }
        return LossOfLogits(Units(activations, Layers), target);
    }

    /// <summary>The forward pass of two samples together, each layer's weights read once for both (the bits of two passes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Forward(ReadOnlySpan<double> w, FeatureRow x0, FeatureRow x1, Span<double> activations0, Span<double> activations1)
    {
        x0.CopyTo(Units(activations0, 0));
        x1.CopyTo(Units(activations1, 0));
        for (var l = 1; l <= Layers; l++)
        {
            Kernels.DotRows(WeightMatrix(w, l), Units(activations0, l - 1), Units(activations1, l - 1), Units(activations0, l), Units(activations1, l));
            Activate(w, l, Units(activations0, l));
            Activate(w, l, Units(activations1, l));
        }
    }

    /// <summary>z = Wa + b given Wa, then ReLU on hidden layers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Activate(ReadOnlySpan<double> w, int layer, Span<double> output)
    {
        var bias = w.Slice(BiasOffset(layer), output.Length);
        for (var r = 0; r < output.Length; r++)
        {
            var z = output[r] + bias[r];
            output[r] = layer < Layers ? Math.Max(0, z) : z;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double LossOfLogits(ReadOnlySpan<double> logits, int target)
    {
        var max = Max(logits);
        var sum = 0.0;
        foreach (var z in logits) sum += Math.Exp(z - max);
        return max + Math.Log(sum) - logits[target];
    }

    /// <summary>The largest logit (what TensorPrimitives.Max returns, without a library call for ten values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double Max(ReadOnlySpan<double> values)
    {
        var max = values[0];
        for (var c = 1; c < values.Length; c++) max = Math.Max(max, values[c]);
        return max;
    }

    public double Loss(ReadOnlySpan<double> w, FeatureRow x, double y)
    {
        var activations = ArrayPool<double>.Shared.Rent(_unitCount);
        try
        {
            return Forward(w, x, ClassOf(y), activations);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(activations);
        }
    }

    /// <summary>Two samples' losses from the paired forward pass (each layer's weights read once for both; the bits of two <see cref="Loss"/> calls).</summary>
    public (double First, double Second) Losses(ReadOnlySpan<double> w, FeatureRow x0, double y0, FeatureRow x1, double y1)
    {
        var activations = ArrayPool<double>.Shared.Rent(2 * _unitCount);
        try
        {
            var first = activations.AsSpan(0, _unitCount);
            var second = activations.AsSpan(_unitCount, _unitCount);
            Forward(w, x0, x1, first, second);
            return (LossOfLogits(Units(first, Layers), ClassOf(y0)), LossOfLogits(Units(second, Layers), ClassOf(y1)));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(activations);
        }
    }

    public void AddGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g)
    {
        var activations = ArrayPool<double>.Shared.Rent(_unitCount);
        var deltas = ArrayPool<double>.Shared.Rent(_unitCount);
        try
        {
            var target = ClassOf(y);
            Forward(w, x, target, activations);
            Backpropagate(w, target, activations, deltas);
            Accumulate(g, scale, activations, deltas, 1);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(activations);
            ArrayPool<double>.Shared.Return(deltas);
        }
    }

    /// <summary>
    /// (1/b) Σ ∇f over the batch with every sample's activations and deltas computed first, then each row of g updated
    /// once for the whole batch (its terms still added in batch order: the bits of b AddGradient calls).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BatchGradient(ReadOnlySpan<double> w, Dataset data, ReadOnlySpan<int> batch, Span<double> g)
    {
        var activations = ArrayPool<double>.Shared.Rent(batch.Length * _unitCount);
        var deltas = ArrayPool<double>.Shared.Rent(batch.Length * _unitCount);
        try
        {
            Span<double> Sample(double[] buffer, int k) => buffer.AsSpan(k * _unitCount, _unitCount);
            var pairs = batch.Length / 2 * 2;
            for (var k = 0; k < pairs; k += 2) Forward(w, data.Row(batch[k]), data.Row(batch[k + 1]), Sample(activations, k), Sample(activations, k + 1));
            if (pairs < batch.Length) Forward(w, data.Row(batch[pairs]), 0, Sample(activations, pairs));
            for (var k = 0; k < batch.Length; k++) Backpropagate(w, ClassOf(data.Label(batch[k])), Sample(activations, k), Sample(deltas, k));
            // Every parameter's sum is written, so g needs no clearing first (the bits of clearing it and adding).
            Accumulate(g, 1.0 / batch.Length, activations, deltas, batch.Length, overwrite: true);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(activations);
            ArrayPool<double>.Shared.Return(deltas);
        }
    }

    /// <summary>After the forward pass, every layer's δ: δ_L = softmax(z_L) − onehot(y), δ_{l−1} = (W_lᵀ δ_l) ⊙ 1[a_{l−1} > 0].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Backpropagate(ReadOnlySpan<double> w, int target, Span<double> activations, Span<double> deltas)
    {
        var logits = Units(activations, Layers);
        var delta = Units(deltas, Layers);
        var max = Max(logits);
        var sum = 0.0;
        for (var c = 0; c < Classes; c++) sum += delta[c] = Math.Exp(logits[c] - max);
        for (var c = 0; c < Classes; c++) delta[c] = delta[c] / sum - (c == target ? 1 : 0);
        for (var l = Layers; l > 1; l--)
        {
            var input = Units(activations, l - 1);
            var previous = Units(deltas, l - 1);
            Kernels.SetScaledRows(previous, Units(deltas, l), WeightMatrix(w, l), input.Length);
            for (var j = 0; j < previous.Length; j++) if (input[j] <= 0) previous[j] = 0;
        }
    }

    /// <summary>
    /// g ← g + scale · Σ_k δ_k a_kᵀ (and δ_k for the biases) over <paramref name="count"/> samples whose units lie one
    /// after the other in the buffers; each parameter's terms are added in sample order. With <paramref name="overwrite"/>
    /// g ← 0 + the same sums, whatever g held (the bits of clearing it first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Accumulate(Span<double> g, double scale, double[] activations, double[] deltas, int count, bool overwrite = false)
    {
        var both = count <= 128 ? stackalloc double[2 * count] : new double[2 * count];
        var first = both[..count];
        var second = both[count..];
        for (var l = 1; l <= Layers; l++)
        {
            var inputs = _sizes[l - 1];
            var units = activations.AsSpan(_unitOffsets[l - 1]);
            var r = 0;
            // Two rows of g at a time: each read of the inputs serves both (the bits of one row at a time).
            for (; r + 1 < _sizes[l]; r += 2)
            {
                Coefficients(first, scale, deltas, l, r);
                Coefficients(second, scale, deltas, l, r + 1);
                Kernels.ScaledRows(g.Slice(_offsets[l] + r * inputs, inputs), g.Slice(_offsets[l] + (r + 1) * inputs, inputs), first, second, units, _unitCount, add: !overwrite);
                AddBias(g, l, r, first, overwrite);
                AddBias(g, l, r + 1, second, overwrite);
            }
            if (r < _sizes[l])
            {
                Coefficients(first, scale, deltas, l, r);
                var row = g.Slice(_offsets[l] + r * inputs, inputs);
                if (overwrite) Kernels.SetScaledRows(row, first, units, _unitCount);
                else Kernels.AddScaledRows(row, first, units, _unitCount);
                AddBias(g, l, r, first, overwrite);
            }
        }
    }

    /// <summary>c[k] = scale · δ_k[r] of layer l for each sample k of the batch.</summary>
    void Coefficients(Span<double> c, double scale, double[] deltas, int layer, int r)
    {
        for (var k = 0; k < c.Length; k++) c[k] = scale * deltas[k * _unitCount + _unitOffsets[layer] + r];
    }

    /// <summary>b_r's gradient: its terms added in sample order (from +0 with <paramref name="overwrite"/>).</summary>
    void AddBias(Span<double> g, int layer, int r, ReadOnlySpan<double> c, bool overwrite)
    {
        var at = BiasOffset(layer) + r;
        var bias = overwrite ? 0.0 : g[at];
        foreach (var term in c) bias += term;
        g[at] = bias;
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
}

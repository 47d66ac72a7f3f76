using DelaySim.Model.Data;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;
using System.Runtime.Intrinsics;
using FsCheck.Xunit;

namespace DelaySim.Tests.Model;

/// <summary>The batched kernels give exactly the bits of the one-at-a-time kernels they replace.</summary>
public class KernelTests
{
    static double[] Gaussians(Rng rng, int n) => Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();

    [Property]
    public bool Dots_of_eight_rows_in_vector_lanes_equal_eight_single_dots(ulong seed, byte length)
    {
        var rng = new Rng(seed);
        var w = Gaussians(rng, length % 40);
        var rows = Enumerable.Range(0, 8).Select(_ => Gaussians(rng, w.Length)).ToArray();
        var lanes = Enumerable.Range(0, w.Length).Select(j => Vector512.Create(Enumerable.Range(0, 8).Select(r => rows[r][j]).ToArray())).ToArray();
        var dots = Kernels.DotLanes(lanes, w);
        // The same group as two vectors of four rows per feature, each half on its own.
        var halves = lanes.SelectMany(v => new[] { v.GetLower(), v.GetUpper() }).ToArray();
        var (low, high) = (Kernels.DotLanes(halves, 0, w), Kernels.DotLanes(halves, 1, w));
        return Enumerable.Range(0, 8).All(r =>
        {
            var single = BitConverter.DoubleToInt64Bits(Kernels.Dot(rows[r], w));
            return BitConverter.DoubleToInt64Bits(dots[r]) == single && BitConverter.DoubleToInt64Bits((r < 4 ? low : high)[r % 4]) == single;
        });
    }

    [Property]
    public bool Dots_of_two_vectors_at_once_equal_two_single_lane_dots(ulong seed, byte length)
    {
        var rng = new Rng(seed);
        var (w, v) = (Gaussians(rng, length % 40), Gaussians(rng, length % 40));
        var lanes = Enumerable.Range(0, w.Length).Select(_ => Vector512.Create(Gaussians(rng, 8))).ToArray();
        var (first, second) = Kernels.DotLanes(lanes, w, v);
        return SameBits(Bits(first), Bits(Kernels.DotLanes(lanes, w))) && SameBits(Bits(second), Bits(Kernels.DotLanes(lanes, v)));
        static double[] Bits(Vector512<double> x) => Enumerable.Range(0, 8).Select(i => x.GetElement(i)).ToArray();
    }

    static bool SameBits(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++) if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i])) return false;
        return true;
    }

    [Property]
    public bool The_written_out_axpy_equals_TensorPrimitives_MultiplyAdd(ulong seed, byte length)
    {
        var rng = new Rng(seed);
        var x = Gaussians(rng, length % 70);
        var y = Gaussians(rng, x.Length);
        var a = rng.NextGaussian();
        var expected = new double[y.Length];
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x, a, y, expected);
        Kernels.AddScaled(y, a, x);
        return SameBits(y, expected);
    }

    [Property]
    public bool Adding_scaled_rows_at_once_equals_adding_them_one_by_one(ulong seed, byte length, byte rows)
    {
        var rng = new Rng(seed);
        var n = length % 70;
        var c = Gaussians(rng, rows % 12);
        var stride = n + length % 3;   // rows of a matrix (stride n) or vectors spaced further apart
        var w = Gaussians(rng, c.Length * stride);
        var y = Gaussians(rng, n);
        var expected = y.ToArray();
        for (var r = 0; r < c.Length; r++) Kernels.AddScaled(expected, c[r], w.AsSpan(r * stride, n));
        Kernels.AddScaledRows(y, c, w, stride);
        return SameBits(y, expected);
    }

    [Property]
    public bool Dots_of_interleaved_matrix_rows_equal_single_dots(ulong seed, byte length, byte rows)
    {
        var rng = new Rng(seed);
        var n = length % 70;
        var x = Gaussians(rng, n);
        var w = Gaussians(rng, (rows % 12) * n);
        var output = new double[rows % 12];
        Kernels.DotRows(w, x, output);
        var expected = Enumerable.Range(0, output.Length).Select(r => Kernels.Dot(w.AsSpan(r * n, n), x)).ToArray();
        return SameBits(output, expected);
    }

    [Theory]
    [InlineData(ProblemKind.LeastSquares, 0.0, 2)]
    [InlineData(ProblemKind.Logistic, 0.0, 2)]
    [InlineData(ProblemKind.Logistic, 0.01, 2)]
    [InlineData(ProblemKind.LinearMse, 0.0, 3)]
    [InlineData(ProblemKind.Mlp, 0.0, 3)]
    public void Mean_losses_of_many_vectors_equal_the_mean_loss_of_each(ProblemKind kind, double l2, int classes)
    {
        // 103 rows (not a multiple of 8 or of the row block) and a twin's set whose replaced row falls inside a lane group.
        const int features = 19;
        var rng = new Rng(3);
        var labels = Enumerable.Range(0, 103).Select(i => (double)(i % classes)).ToArray();
        var data = new Dataset(Gaussians(rng, 103 * features), labels, features, classes);
        var twin = data.WithReplacedRow(41, Gaussians(rng, features), 1);
        var problem = new ProblemSpec(kind, l2, kind == ProblemKind.Mlp ? [5] : null).Create(features, classes);
        var ws = Enumerable.Range(0, 6).Select(_ => (ReadOnlyMemory<double>)Gaussians(rng, problem.ParameterCount)).ToArray();
        // Both lane widths (the 512-bit path where it is native, four-row halves elsewhere) give the same bits, so
        // switching the width here cannot change what a test running at the same time computes.
        var native = ProblemExtensions.WideLanes;
        try
        {
            foreach (var wide in new[] { true, false })
            {
                ProblemExtensions.WideLanes = wide;
                foreach (var set in new[] { data, twin })
                {
                    var batched = problem.MeanLosses(ws, set);
                    for (var v = 0; v < ws.Length; v++)
                        Assert.Equal(BitConverter.DoubleToInt64Bits(problem.MeanLoss(ws[v].Span, set)), BitConverter.DoubleToInt64Bits(batched[v]));
                }
            }
        }
        finally { ProblemExtensions.WideLanes = native; }
    }

    [Property]
    public bool Dots_of_matrix_rows_with_two_inputs_equal_single_dots(ulong seed, byte length, byte rows)
    {
        var rng = new Rng(seed);
        var n = length % 70;
        var (x0, x1) = (Gaussians(rng, n), Gaussians(rng, n));
        var w = Gaussians(rng, (rows % 12) * n);
        var (out0, out1) = (new double[rows % 12], new double[rows % 12]);
        Kernels.DotRows(w, x0, x1, out0, out1);
        var expected0 = Enumerable.Range(0, out0.Length).Select(r => Kernels.Dot(w.AsSpan(r * n, n), x0)).ToArray();
        var expected1 = Enumerable.Range(0, out1.Length).Select(r => Kernels.Dot(w.AsSpan(r * n, n), x1)).ToArray();
        return SameBits(out0, expected0) && SameBits(out1, expected1);
    }

    [Theory]
    [InlineData(1, new[] { 5 })]
    [InlineData(7, new[] { 21 })]
    [InlineData(16, new[] { 17, 6 })]
    public void An_MLP_batch_gradient_equals_the_per_sample_loop_bit_for_bit(int batchSize, int[] hidden)
    {
        const int features = 23, classes = 4;
        var rng = new Rng(11);
        var labels = Enumerable.Range(0, 40).Select(i => (double)(i % classes)).ToArray();
        var data = new Dataset(Gaussians(rng, 40 * features), labels, features, classes);
        var problem = new ProblemSpec(ProblemKind.Mlp, 0, hidden).Create(features, classes);
        Assert.IsAssignableFrom<IBatchGradient>(problem);
        var w = Gaussians(rng, problem.ParameterCount);
        var batch = Enumerable.Range(0, batchSize).Select(k => (7 * k + 3) % 40).ToArray();
        var batched = new double[w.Length];
        problem.BatchGradient(w, data, batch, batched);
        var loop = new double[w.Length];
        foreach (var i in batch) problem.AddGradient(w, data.Row(i), data.Label(i), 1.0 / batch.Length, loop);
        Assert.True(SameBits(batched, loop));
        Assert.Contains(loop, v => v != 0);
    }

    [Property]
    public bool A_shard_holds_the_indices_of_its_residue_in_order(ushort n, byte shards, byte shard)
    {
        var count = shards % 17 + 1;
        var which = shard % count;
        return DelaySim.Model.Engine.BatchSampler.Shard(n % 3000, count, which)
            .SequenceEqual(Enumerable.Range(0, n % 3000).Where(i => i % count == which));
    }

    [Property]
    public bool ScaleAndAdd_gives_the_bits_of_TensorPrimitives_MultiplyAdd(ulong seed, byte length)
    {
        var rng = new Rng(seed);
        var (y, x, a) = (Gaussians(rng, length % 70), Gaussians(rng, length % 70), rng.NextGaussian());
        var expected = new double[y.Length];
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(y, a, x, expected);
        Kernels.ScaleAndAdd(y, a, x);
        return y.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(expected.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>Gaussians with every third value an exact zero of either sign, so products of −0 occur.</summary>
    static double[] WithSignedZeros(Rng rng, int n) =>
        Gaussians(rng, n).Select((v, i) => i % 3 == 0 ? (v < 0 ? -0.0 : 0.0) : v).ToArray();

    [Property]
    public bool Writing_a_scaled_row_in_one_pass_equals_clearing_and_adding_it(ulong seed, byte length, bool zeroScale)
    {
        var rng = new Rng(seed);
        var x = WithSignedZeros(rng, length % 70);
        var a = zeroScale ? -0.0 : rng.NextGaussian();
        var expected = Gaussians(rng, x.Length);
        var written = expected.ToArray();
        expected.AsSpan().Clear();
        Kernels.AddScaled(expected, a, (FeatureRow)x.AsSpan());
        Kernels.SetScaled(written, a, (FeatureRow)x.AsSpan());
        // A sparse row of the same nonzeros: y is cleared, then only those columns are written.
        var indices = Enumerable.Range(0, x.Length).Where(i => i % 3 != 0).ToArray();
        var sparse = new FeatureRow(indices, indices.Select(i => x[i]).ToArray(), x.Length);
        var sparseWritten = Gaussians(rng, x.Length);
        Kernels.SetScaled(sparseWritten, a, sparse);
        var sparseExpected = new double[x.Length];
        Kernels.AddScaled(sparseExpected, a, sparse);
        return SameBits(written, expected) && SameBits(sparseWritten, sparseExpected);
    }

    [Property]
    public bool Writing_scaled_rows_equals_clearing_and_adding_them(ulong seed, byte length, byte rows)
    {
        var rng = new Rng(seed);
        var n = length % 70;
        // Signed zeros in both factors, so that a first term of −0 occurs: it must come out +0, as 0 + (−0) does.
        var c = WithSignedZeros(rng, rows % 12);
        var stride = n + length % 3;
        var w = WithSignedZeros(rng, c.Length * stride);
        var written = Gaussians(rng, n);
        var expected = new double[n];
        Kernels.AddScaledRows(expected, c, w, stride);
        Kernels.SetScaledRows(written, c, w, stride);
        return SameBits(written, expected);
    }

    [Property]
    public bool Scaled_rows_into_two_outputs_equal_two_single_calls(ulong seed, byte length, byte rows, bool add)
    {
        var rng = new Rng(seed);
        var n = length % 70;
        var (c0, c1) = (WithSignedZeros(rng, rows % 20), WithSignedZeros(rng, rows % 20));
        var stride = n + length % 3;
        var w = WithSignedZeros(rng, c0.Length * stride);
        var (y0, y1) = (Gaussians(rng, n), Gaussians(rng, n));
        var (expected0, expected1) = (y0.ToArray(), y1.ToArray());
        if (add) { Kernels.AddScaledRows(expected0, c0, w, stride); Kernels.AddScaledRows(expected1, c1, w, stride); }
        else { Kernels.SetScaledRows(expected0, c0, w, stride); Kernels.SetScaledRows(expected1, c1, w, stride); }
        Kernels.ScaledRows(y0, y1, c0, c1, w, stride, add);
        return SameBits(y0, expected0) && SameBits(y1, expected1);
    }

    [Property]
    public bool Writing_the_next_slot_in_one_pass_equals_copying_and_updating_it(ulong seed, byte length)
    {
        var rng = new Rng(seed);
        var (current, gradient, a) = (WithSignedZeros(rng, length % 70), WithSignedZeros(rng, length % 70), -Math.Abs(rng.NextGaussian()));
        var expected = current.ToArray();
        Kernels.AddScaled(expected, a, gradient);
        var next = Gaussians(rng, current.Length);
        Kernels.AddScaledTo(next, a, gradient, current);
        var plain = DelaySim.Model.Updates.UpdateRule.Plain.Start(current.Length);
        var viaRule = Gaussians(rng, current.Length);
        plain.ApplyTo(current, viaRule, gradient, new DelaySim.Model.Updates.UpdateContext(0, -a, 0));
        return SameBits(next, expected) && SameBits(viaRule, expected);
    }

    /// <summary>The default <see cref="IProblem.SetGradient"/>: clear, then add.</summary>
    sealed class ClearThenAdd(IProblem inner) : IProblem
    {
        public string Name => inner.Name;
        public int ParameterCount => inner.ParameterCount;
        public double Loss(ReadOnlySpan<double> w, FeatureRow x, double y) => inner.Loss(w, x, y);
        public void AddGradient(ReadOnlySpan<double> w, FeatureRow x, double y, double scale, Span<double> g) => inner.AddGradient(w, x, y, scale, g);
        public void Initialize(Rng rng, double sd, Span<double> w) => inner.Initialize(rng, sd, w);
    }

    [Property]
    public bool A_problem_s_one_pass_gradient_equals_clearing_and_adding_it(ulong seed, byte length, byte kind)
    {
        var rng = new Rng(seed);
        var d = length % 40 + 1;
        IProblem problem = (kind % 3) switch
        {
            0 => new LeastSquares(d),
            1 => new Logistic(d, 0),
            _ => new Logistic(d, 0.01),
        };
        var (w, x) = (WithSignedZeros(rng, d), WithSignedZeros(rng, d));
        var (y, scale) = (rng.NextGaussian(), 1.0 / (1 + kind % 4));
        var set = Gaussians(rng, d);
        problem.SetGradient(w, x.AsSpan(), y, scale, set);
        var expected = Gaussians(rng, d);
        ((IProblem)new ClearThenAdd(problem)).SetGradient(w, x.AsSpan(), y, scale, expected);
        return SameBits(set, expected);
    }
}

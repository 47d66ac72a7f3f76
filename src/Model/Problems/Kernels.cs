using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using DelaySim.Model.Data;

namespace DelaySim.Model.Problems;

/// <summary>The vector loops every engine shares, so both engines do the same floating-point operations in the same order.</summary>
internal static class Kernels
{
    /// <summary>
    /// xᵀy with a fixed summation order: two 4-lane accumulators, then ((a0+a1)+(a2+a3)) + ..., then the tail.
    /// TensorPrimitives.Dot is faster on AVX-512 but its reduction order follows the machine's vector width, which would
    /// break "same seed, same bytes" across machines; Vector256 is emulated lane by lane where it is not native, so this
    /// order is the same everywhere. Multiply and add stay separate (the JIT does not contract them into FMA).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = Math.Min(x.Length, y.Length);
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var i = 0;
        var sum = 0.0;
        if (n >= 8)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                acc0 += Vector256.LoadUnsafe(ref rx, (nuint)i) * Vector256.LoadUnsafe(ref ry, (nuint)i);
                acc1 += Vector256.LoadUnsafe(ref rx, (nuint)(i + 4)) * Vector256.LoadUnsafe(ref ry, (nuint)(i + 4));
            }
            var acc = acc0 + acc1;
            sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        }
        for (; i < n; i++) sum += Unsafe.Add(ref rx, i) * Unsafe.Add(ref ry, i);
        return sum;
    }

    /// <summary>
    /// xᵢᵀw for four dense rows held in vector lanes (<paramref name="x"/>[j] = value j of the four rows, see
    /// <see cref="Dataset.FourRowLanes"/>). Each lane runs exactly the operations of
    /// <see cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/> on its row (two four-lane accumulators become eight
    /// lane-wise ones, combined in the same order, then the tail), so the bits are the same; the rows, not the features,
    /// fill the vector, so short rows (d = 22) vectorise fully.
    /// </summary>
    public static Vector256<double> DotLanes(ReadOnlySpan<Vector256<double>> x, ReadOnlySpan<double> w)
    {
        var n = w.Length;
        if (x.Length != n) throw new ArgumentException("x must hold one vector per feature of w");
        var i = 0;
        var sum = Vector256<double>.Zero;
        if (n >= 8)
        {
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            for (; i <= n - 8; i += 8)
            {
                a0 += x[i] * Vector256.Create(w[i]);
                a1 += x[i + 1] * Vector256.Create(w[i + 1]);
                a2 += x[i + 2] * Vector256.Create(w[i + 2]);
                a3 += x[i + 3] * Vector256.Create(w[i + 3]);
                b0 += x[i + 4] * Vector256.Create(w[i + 4]);
                b1 += x[i + 5] * Vector256.Create(w[i + 5]);
                b2 += x[i + 6] * Vector256.Create(w[i + 6]);
                b3 += x[i + 7] * Vector256.Create(w[i + 7]);
            }
            sum = ((a0 + b0) + (a1 + b1)) + ((a2 + b2) + (a3 + b3));
        }
        for (; i < n; i++) sum += x[i] * Vector256.Create(w[i]);
        return sum;
    }

    /// <summary>xᵀw for a feature row: the dense kernel above, or Σ_k x_k·w[j_k] over the nonzeros in index order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(FeatureRow x, ReadOnlySpan<double> w)
    {
        if (!x.IsSparse) return Dot(x.Values, w);
        var sum = 0.0;
        var indices = x.Indices;
        var values = x.Values;
        for (var k = 0; k < indices.Length; k++) sum += values[k] * w[indices[k]];
        return sum;
    }

    /// <summary>y ← y + a·x for a feature row (sparse rows touch only their nonzero columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> y, double a, FeatureRow x)
    {
        if (!x.IsSparse)
        {
            AddScaled(y, a, x.Values);
            return;
        }
        var indices = x.Indices;
        var values = x.Values;
        for (var k = 0; k < indices.Length; k++) y[indices[k]] += a * values[k];
    }

    /// <summary>y ← y + a·x, element by element (no reduction, so any vector width gives the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> y, double a, ReadOnlySpan<double> x) => TensorPrimitives.MultiplyAdd(x, a, y, y);

    /// <summary>‖x − y‖₂ with the same fixed summation order as <see cref="Dot"/> (TensorPrimitives.Distance's order follows the vector width).</summary>
    public static double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = Math.Min(x.Length, y.Length);
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var i = 0;
        var sum = 0.0;
        if (n >= 8)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var d0 = Vector256.LoadUnsafe(ref rx, (nuint)i) - Vector256.LoadUnsafe(ref ry, (nuint)i);
                var d1 = Vector256.LoadUnsafe(ref rx, (nuint)(i + 4)) - Vector256.LoadUnsafe(ref ry, (nuint)(i + 4));
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }
            var acc = acc0 + acc1;
            sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        }
        for (; i < n; i++)
        {
            var d = Unsafe.Add(ref rx, i) - Unsafe.Add(ref ry, i);
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>‖x‖₂ in the fixed order of <see cref="Dot"/>.</summary>
    public static double Norm(ReadOnlySpan<double> x) => Math.Sqrt(Dot(x, x));
}

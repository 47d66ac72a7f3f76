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
    /// xᵢᵀw for four dense rows at once, each summed in exactly <see cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>'s
    /// order (so the bits are the same), but with w loaded once for all four: the evaluation of a checkpoint is this loop.
    /// </summary>
    public static (double, double, double, double) Dot4(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<double> x3, ReadOnlySpan<double> w)
    {
        var n = w.Length;
        if (x0.Length != n || x1.Length != n || x2.Length != n || x3.Length != n) throw new ArgumentException("rows and w must have one length");
        ref var r0 = ref MemoryMarshal.GetReference(x0);
        ref var r1 = ref MemoryMarshal.GetReference(x1);
        ref var r2 = ref MemoryMarshal.GetReference(x2);
        ref var r3 = ref MemoryMarshal.GetReference(x3);
        ref var rw = ref MemoryMarshal.GetReference(w);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var i = 0;
        if (n >= 8)
        {
            Vector256<double> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
            for (; i <= n - 8; i += 8)
            {
                var lo = Vector256.LoadUnsafe(ref rw, (nuint)i);
                var hi = Vector256.LoadUnsafe(ref rw, (nuint)(i + 4));
                a0 += Vector256.LoadUnsafe(ref r0, (nuint)i) * lo;
                b0 += Vector256.LoadUnsafe(ref r0, (nuint)(i + 4)) * hi;
                a1 += Vector256.LoadUnsafe(ref r1, (nuint)i) * lo;
                b1 += Vector256.LoadUnsafe(ref r1, (nuint)(i + 4)) * hi;
                a2 += Vector256.LoadUnsafe(ref r2, (nuint)i) * lo;
                b2 += Vector256.LoadUnsafe(ref r2, (nuint)(i + 4)) * hi;
                a3 += Vector256.LoadUnsafe(ref r3, (nuint)i) * lo;
                b3 += Vector256.LoadUnsafe(ref r3, (nuint)(i + 4)) * hi;
            }
            s0 = Sum(a0 + b0);
            s1 = Sum(a1 + b1);
            s2 = Sum(a2 + b2);
            s3 = Sum(a3 + b3);
        }
        for (; i < n; i++)
        {
            var wi = Unsafe.Add(ref rw, i);
            s0 += Unsafe.Add(ref r0, i) * wi;
            s1 += Unsafe.Add(ref r1, i) * wi;
            s2 += Unsafe.Add(ref r2, i) * wi;
            s3 += Unsafe.Add(ref r3, i) * wi;
        }
        return (s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Sum(Vector256<double> acc) => (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));

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

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
    /// xᵢᵀw for eight dense rows held in vector lanes (<paramref name="x"/>[j] = value j of the eight rows, see
    /// <see cref="Dataset.RowLanes"/>). Each lane runs exactly the operations of
    /// <see cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/> on its row (two four-lane accumulators become eight
    /// lane-wise ones, combined in the same order, then the tail), so the bits are the same; the rows, not the features,
    /// fill the vector, so short rows (d = 22) vectorise fully. Where 512-bit vectors are not native, the four-row
    /// overload below does each half of the group with the same operations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector512<double> DotLanes(ReadOnlySpan<Vector512<double>> x, ReadOnlySpan<double> w)
    {
        var n = w.Length;
        if (x.Length != n) throw new ArgumentException("x must hold one vector per feature of w");
        // References moved along the rows, so each load is one instruction with a constant offset.
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var rw = ref MemoryMarshal.GetReference(w);
        var i = 0;
        var sum = Vector512<double>.Zero;
        if (n >= 8)
        {
            Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            for (; i <= n - 8; i += 8)
            {
                ref var px = ref Unsafe.Add(ref rx, i);
                ref var pw = ref Unsafe.Add(ref rw, i);
                a0 += px * Vector512.Create(pw);
                a1 += Unsafe.Add(ref px, 1) * Vector512.Create(Unsafe.Add(ref pw, 1));
                a2 += Unsafe.Add(ref px, 2) * Vector512.Create(Unsafe.Add(ref pw, 2));
                a3 += Unsafe.Add(ref px, 3) * Vector512.Create(Unsafe.Add(ref pw, 3));
                b0 += Unsafe.Add(ref px, 4) * Vector512.Create(Unsafe.Add(ref pw, 4));
                b1 += Unsafe.Add(ref px, 5) * Vector512.Create(Unsafe.Add(ref pw, 5));
                b2 += Unsafe.Add(ref px, 6) * Vector512.Create(Unsafe.Add(ref pw, 6));
                b3 += Unsafe.Add(ref px, 7) * Vector512.Create(Unsafe.Add(ref pw, 7));
            }
            sum = ((a0 + b0) + (a1 + b1)) + ((a2 + b2) + (a3 + b3));
        }
        for (; i < n; i++) sum += Unsafe.Add(ref rx, i) * Vector512.Create(Unsafe.Add(ref rw, i));
        return sum;
    }

    /// <summary>
    /// <see cref="DotLanes(ReadOnlySpan{Vector512{double}}, ReadOnlySpan{double})"/> for two vectors at once, each with
    /// its own eight accumulators and the same operations in the same order, so the bits are those of two calls. Each
    /// load of the rows serves both vectors: the single kernel spends two loads on every multiply, this one one and a half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (Vector512<double> First, Vector512<double> Second) DotLanes(ReadOnlySpan<Vector512<double>> x, ReadOnlySpan<double> w, ReadOnlySpan<double> v)
    {
        var n = w.Length;
        if (x.Length != n || v.Length != n) throw new ArgumentException("x must hold one vector per feature of w and v");
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var rw = ref MemoryMarshal.GetReference(w);
        ref var rv = ref MemoryMarshal.GetReference(v);
        var i = 0;
        Vector512<double> sumW = Vector512<double>.Zero, sumV = Vector512<double>.Zero;
        if (n >= 8)
        {
            Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            Vector512<double> c0 = default, c1 = default, c2 = default, c3 = default, e0 = default, e1 = default, e2 = default, e3 = default;
            for (; i <= n - 8; i += 8)
            {
                ref var px = ref Unsafe.Add(ref rx, i);
                ref var pw = ref Unsafe.Add(ref rw, i);
                ref var pv = ref Unsafe.Add(ref rv, i);
                var x0 = px;
                a0 += x0 * Vector512.Create(pw);
                c0 += x0 * Vector512.Create(pv);
                var x1 = Unsafe.Add(ref px, 1);
                a1 += x1 * Vector512.Create(Unsafe.Add(ref pw, 1));
                c1 += x1 * Vector512.Create(Unsafe.Add(ref pv, 1));
                var x2 = Unsafe.Add(ref px, 2);
                a2 += x2 * Vector512.Create(Unsafe.Add(ref pw, 2));
                c2 += x2 * Vector512.Create(Unsafe.Add(ref pv, 2));
                var x3 = Unsafe.Add(ref px, 3);
                a3 += x3 * Vector512.Create(Unsafe.Add(ref pw, 3));
                c3 += x3 * Vector512.Create(Unsafe.Add(ref pv, 3));
                var x4 = Unsafe.Add(ref px, 4);
                b0 += x4 * Vector512.Create(Unsafe.Add(ref pw, 4));
                e0 += x4 * Vector512.Create(Unsafe.Add(ref pv, 4));
                var x5 = Unsafe.Add(ref px, 5);
                b1 += x5 * Vector512.Create(Unsafe.Add(ref pw, 5));
                e1 += x5 * Vector512.Create(Unsafe.Add(ref pv, 5));
                var x6 = Unsafe.Add(ref px, 6);
                b2 += x6 * Vector512.Create(Unsafe.Add(ref pw, 6));
                e2 += x6 * Vector512.Create(Unsafe.Add(ref pv, 6));
                var x7 = Unsafe.Add(ref px, 7);
                b3 += x7 * Vector512.Create(Unsafe.Add(ref pw, 7));
                e3 += x7 * Vector512.Create(Unsafe.Add(ref pv, 7));
            }
            sumW = ((a0 + b0) + (a1 + b1)) + ((a2 + b2) + (a3 + b3));
            sumV = ((c0 + e0) + (c1 + e1)) + ((c2 + e2) + (c3 + e3));
        }
        for (; i < n; i++)
        {
            var xi = Unsafe.Add(ref rx, i);
            sumW += xi * Vector512.Create(Unsafe.Add(ref rw, i));
            sumV += xi * Vector512.Create(Unsafe.Add(ref rv, i));
        }
        return (sumW, sumV);
    }

    /// <summary>
    /// The dots of four of the eight rows of a lane group (<paramref name="x"/> holds two vectors per feature: rows 0–3,
    /// then rows 4–7; <paramref name="half"/> picks one), with the operations of the eight-row kernel, lane for lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector256<double> DotLanes(ReadOnlySpan<Vector256<double>> x, int half, ReadOnlySpan<double> w)
    {
        var n = w.Length;
        if (x.Length != 2 * n || (uint)half > 1) throw new ArgumentException("x must hold two vectors per feature of w, half must be 0 or 1");
        ref var rx = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), half);
        ref var rw = ref MemoryMarshal.GetReference(w);
        var i = 0;
        var sum = Vector256<double>.Zero;
        if (n >= 8)
        {
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            for (; i <= n - 8; i += 8)
            {
                ref var px = ref Unsafe.Add(ref rx, 2 * i);
                ref var pw = ref Unsafe.Add(ref rw, i);
                a0 += px * Vector256.Create(pw);
                a1 += Unsafe.Add(ref px, 2) * Vector256.Create(Unsafe.Add(ref pw, 1));
                a2 += Unsafe.Add(ref px, 4) * Vector256.Create(Unsafe.Add(ref pw, 2));
                a3 += Unsafe.Add(ref px, 6) * Vector256.Create(Unsafe.Add(ref pw, 3));
                b0 += Unsafe.Add(ref px, 8) * Vector256.Create(Unsafe.Add(ref pw, 4));
                b1 += Unsafe.Add(ref px, 10) * Vector256.Create(Unsafe.Add(ref pw, 5));
                b2 += Unsafe.Add(ref px, 12) * Vector256.Create(Unsafe.Add(ref pw, 6));
                b3 += Unsafe.Add(ref px, 14) * Vector256.Create(Unsafe.Add(ref pw, 7));
            }
            sum = ((a0 + b0) + (a1 + b1)) + ((a2 + b2) + (a3 + b3));
        }
        for (; i < n; i++) sum += Unsafe.Add(ref rx, 2 * i) * Vector256.Create(Unsafe.Add(ref rw, i));
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

    /// <summary>
    /// y ← x·a + y, element by element, multiply and add rounded separately (as TensorPrimitives.MultiplyAdd does, so
    /// any vector width gives the same bits). Written out because at the lengths of a layer or a 22-feature row the
    /// library call's set-up cost more than the arithmetic (docs/PERFORMANCE.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        var n = x.Length;
        if (y.Length != n) ThrowLengths();
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var va = Vector256.Create(a);
        var i = 0;
        for (; i <= n - 8; i += 8)
        {
            (Vector256.LoadUnsafe(ref rx, (nuint)i) * va + Vector256.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
            (Vector256.LoadUnsafe(ref rx, (nuint)(i + 4)) * va + Vector256.LoadUnsafe(ref ry, (nuint)(i + 4))).StoreUnsafe(ref ry, (nuint)(i + 4));
        }
        for (; i < n; i++) Unsafe.Add(ref ry, i) = Unsafe.Add(ref rx, i) * a + Unsafe.Add(ref ry, i);
    }

    /// <summary>
    /// y ← x·a + 0 for a feature row: the bits of clearing y and calling <see cref="AddScaled(Span{double}, double, FeatureRow)"/>
    /// (a product of −0 becomes +0 either way), in one pass over a dense row; a sparse row clears y first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetScaled(Span<double> y, double a, FeatureRow x)
    {
        if (x.IsSparse)
        {
            y.Clear();
            AddScaled(y, a, x);
            return;
        }
        AddScaledTo(y, a, x.Values, default);
    }

    /// <summary>
    /// destination ← x·a + y, or x·a + 0 when <paramref name="y"/> is empty: the bits of copying y (or zeros) into
    /// destination and calling <see cref="AddScaled(Span{double}, double, ReadOnlySpan{double})"/>, in one pass. The
    /// history ring's next slot is written this way from the current one (<see cref="Updates.IUpdater.ApplyTo"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaledTo(Span<double> destination, double a, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = x.Length;
        if (destination.Length != n || (!y.IsEmpty && y.Length != n)) ThrowLengths();
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        var va = Vector256.Create(a);
        var i = 0;
        if (y.IsEmpty)
        {
            for (; i <= n - 4; i += 4) (Vector256.LoadUnsafe(ref rx, (nuint)i) * va + Vector256<double>.Zero).StoreUnsafe(ref rd, (nuint)i);
            for (; i < n; i++) Unsafe.Add(ref rd, i) = Unsafe.Add(ref rx, i) * a + 0.0;
            return;
        }
        ref var ry = ref MemoryMarshal.GetReference(y);
        for (; i <= n - 4; i += 4) (Vector256.LoadUnsafe(ref rx, (nuint)i) * va + Vector256.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = Unsafe.Add(ref rx, i) * a + Unsafe.Add(ref ry, i);
    }

    /// <summary>
    /// y ← y·a + x, element by element, rounded as <see cref="AddScaled(Span{double}, double, ReadOnlySpan{double})"/>:
    /// the bits of TensorPrimitives.MultiplyAdd(y, a, x, y), whose generic code a short run would execute unoptimised.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleAndAdd(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        var n = x.Length;
        if (y.Length != n) ThrowLengths();
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var va = Vector256.Create(a);
        var i = 0;
        for (; i <= n - 4; i += 4) (Vector256.LoadUnsafe(ref ry, (nuint)i) * va + Vector256.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref ry, i) = Unsafe.Add(ref ry, i) * a + Unsafe.Add(ref rx, i);
    }

    /// <summary>
    /// y ← y + Σ_r c[r]·w_r with w_r = w[r·stride, r·stride + y.Length) (the rows of a row-major matrix when the stride
    /// is y.Length): the terms are added one row at a time in r order, exactly as that many
    /// <see cref="AddScaled(Span{double}, double, ReadOnlySpan{double})"/> calls would (same bits), but each block of y
    /// stays in a register across the rows.
    /// </summary>
    public static void AddScaledRows(Span<double> y, ReadOnlySpan<double> c, ReadOnlySpan<double> w, int stride) => ScaledRows(y, c, w, stride, add: true);

    /// <summary>
    /// y ← 0 + Σ_r c[r]·w_r: the bits of clearing y and then <see cref="AddScaledRows"/>, without reading y (the sum
    /// starts from +0, as a cleared y does, so a first term of −0 still comes out +0).
    /// </summary>
    public static void SetScaledRows(Span<double> y, ReadOnlySpan<double> c, ReadOnlySpan<double> w, int stride) => ScaledRows(y, c, w, stride, add: false);

    /// <summary>
    /// <see cref="AddScaledRows(Span{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/> (or, without
    /// <paramref name="add"/>, <see cref="SetScaledRows(Span{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/>)
    /// into two outputs with their own coefficients over the same rows: y0 ← y0 + Σ_r c0[r]·w_r and y1 ← y1 + Σ_r c1[r]·w_r,
    /// each element's terms in r order as in two single calls (same bits). Each load of a row serves both outputs, and
    /// eight accumulator chains are in flight instead of four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaledRows(Span<double> y0, Span<double> y1, ReadOnlySpan<double> c0, ReadOnlySpan<double> c1, ReadOnlySpan<double> w, int stride, bool add)
    {
        var n = y0.Length;
        if (y1.Length != n || c1.Length != c0.Length || stride < n || (c0.Length > 0 && w.Length < (c0.Length - 1) * stride + n)) ThrowLengths();
        ref var rw = ref MemoryMarshal.GetReference(w);
        ref var ry = ref MemoryMarshal.GetReference(y0);
        ref var rz = ref MemoryMarshal.GetReference(y1);
        var j = 0;
        for (; j <= n - 16; j += 16)
        {
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            if (add)
            {
                (a0, a1, a2, a3) = (Vector256.LoadUnsafe(ref ry, (nuint)j), Vector256.LoadUnsafe(ref ry, (nuint)(j + 4)), Vector256.LoadUnsafe(ref ry, (nuint)(j + 8)), Vector256.LoadUnsafe(ref ry, (nuint)(j + 12)));
                (b0, b1, b2, b3) = (Vector256.LoadUnsafe(ref rz, (nuint)j), Vector256.LoadUnsafe(ref rz, (nuint)(j + 4)), Vector256.LoadUnsafe(ref rz, (nuint)(j + 8)), Vector256.LoadUnsafe(ref rz, (nuint)(j + 12)));
            }
            for (var r = 0; r < c0.Length; r++)
            {
                var (p, q) = (Vector256.Create(c0[r]), Vector256.Create(c1[r]));
                ref var row = ref Unsafe.Add(ref rw, r * stride + j);
                var v = Vector256.LoadUnsafe(ref row); a0 = v * p + a0; b0 = v * q + b0;
                v = Vector256.LoadUnsafe(ref row, 4); a1 = v * p + a1; b1 = v * q + b1;
                v = Vector256.LoadUnsafe(ref row, 8); a2 = v * p + a2; b2 = v * q + b2;
                v = Vector256.LoadUnsafe(ref row, 12); a3 = v * p + a3; b3 = v * q + b3;
            }
            a0.StoreUnsafe(ref ry, (nuint)j); a1.StoreUnsafe(ref ry, (nuint)(j + 4)); a2.StoreUnsafe(ref ry, (nuint)(j + 8)); a3.StoreUnsafe(ref ry, (nuint)(j + 12));
            b0.StoreUnsafe(ref rz, (nuint)j); b1.StoreUnsafe(ref rz, (nuint)(j + 4)); b2.StoreUnsafe(ref rz, (nuint)(j + 8)); b3.StoreUnsafe(ref rz, (nuint)(j + 12));
        }
        if (j < n)
        {
            // The last columns (fewer than 16) as two single calls would do them.
            var rest = w.Length > j ? w[j..] : default; // no rows (no coefficients): nothing to slice
            ScaledRows(y0[j..], c0, rest, stride, add);
            ScaledRows(y1[j..], c1, rest, stride, add);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ScaledRows(Span<double> y, ReadOnlySpan<double> c, ReadOnlySpan<double> w, int stride, bool add)
    {
        var n = y.Length;
        if (stride < n || (c.Length > 0 && w.Length < (c.Length - 1) * stride + n)) ThrowLengths();
        ref var rw = ref MemoryMarshal.GetReference(w);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var j = 0;
        for (; j <= n - 16; j += 16)   // four independent chains: an add's latency, not its throughput, bounds one chain
        {
            Vector256<double> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
            if (add)
            {
                acc0 = Vector256.LoadUnsafe(ref ry, (nuint)j);
                acc1 = Vector256.LoadUnsafe(ref ry, (nuint)(j + 4));
                acc2 = Vector256.LoadUnsafe(ref ry, (nuint)(j + 8));
                acc3 = Vector256.LoadUnsafe(ref ry, (nuint)(j + 12));
            }
            for (var r = 0; r < c.Length; r++)
            {
                var cr = Vector256.Create(c[r]);
                ref var row = ref Unsafe.Add(ref rw, r * stride + j);
                acc0 = Vector256.LoadUnsafe(ref row) * cr + acc0;
                acc1 = Vector256.LoadUnsafe(ref row, 4) * cr + acc1;
                acc2 = Vector256.LoadUnsafe(ref row, 8) * cr + acc2;
                acc3 = Vector256.LoadUnsafe(ref row, 12) * cr + acc3;
            }
            acc0.StoreUnsafe(ref ry, (nuint)j);
            acc1.StoreUnsafe(ref ry, (nuint)(j + 4));
            acc2.StoreUnsafe(ref ry, (nuint)(j + 8));
            acc3.StoreUnsafe(ref ry, (nuint)(j + 12));
        }
        for (; j <= n - 4; j += 4)
        {
            var acc = add ? Vector256.LoadUnsafe(ref ry, (nuint)j) : default;
            for (var r = 0; r < c.Length; r++) acc = Vector256.LoadUnsafe(ref rw, (nuint)(r * stride + j)) * Vector256.Create(c[r]) + acc;
            acc.StoreUnsafe(ref ry, (nuint)j);
        }
        for (; j < n; j++)
        {
            var acc = add ? Unsafe.Add(ref ry, j) : 0.0;
            for (var r = 0; r < c.Length; r++) acc = Unsafe.Add(ref rw, r * stride + j) * c[r] + acc;
            Unsafe.Add(ref ry, j) = acc;
        }
    }

    /// <summary>
    /// output[r] = <see cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>(w_r, x) for the rows w_r of a row-major
    /// matrix (output.Length rows of x.Length). Four rows run interleaved, each with exactly Dot's operations in Dot's
    /// order (same bits), so eight accumulator chains are in flight instead of two.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotRows(ReadOnlySpan<double> w, ReadOnlySpan<double> x, Span<double> output)
    {
        var n = x.Length;
        if (w.Length < output.Length * n) ThrowLengths();
        ref var rx = ref MemoryMarshal.GetReference(x);
        var r = 0;
        for (; r <= output.Length - 4; r += 4)
        {
            ref var w0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), r * n);
            ref var w1 = ref Unsafe.Add(ref w0, n);
            ref var w2 = ref Unsafe.Add(ref w1, n);
            ref var w3 = ref Unsafe.Add(ref w2, n);
            var i = 0;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            if (n >= 8)
            {
                Vector256<double> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
                for (; i <= n - 8; i += 8)
                {
                    var x0 = Vector256.LoadUnsafe(ref rx, (nuint)i);
                    var x1 = Vector256.LoadUnsafe(ref rx, (nuint)(i + 4));
                    a0 += Vector256.LoadUnsafe(ref w0, (nuint)i) * x0;
                    b0 += Vector256.LoadUnsafe(ref w0, (nuint)(i + 4)) * x1;
                    a1 += Vector256.LoadUnsafe(ref w1, (nuint)i) * x0;
                    b1 += Vector256.LoadUnsafe(ref w1, (nuint)(i + 4)) * x1;
                    a2 += Vector256.LoadUnsafe(ref w2, (nuint)i) * x0;
                    b2 += Vector256.LoadUnsafe(ref w2, (nuint)(i + 4)) * x1;
                    a3 += Vector256.LoadUnsafe(ref w3, (nuint)i) * x0;
                    b3 += Vector256.LoadUnsafe(ref w3, (nuint)(i + 4)) * x1;
                }
                s0 = Sum(a0 + b0);
                s1 = Sum(a1 + b1);
                s2 = Sum(a2 + b2);
                s3 = Sum(a3 + b3);
            }
            for (; i < n; i++)
            {
                var xi = Unsafe.Add(ref rx, i);
                s0 += Unsafe.Add(ref w0, i) * xi;
                s1 += Unsafe.Add(ref w1, i) * xi;
                s2 += Unsafe.Add(ref w2, i) * xi;
                s3 += Unsafe.Add(ref w3, i) * xi;
            }
            (output[r], output[r + 1], output[r + 2], output[r + 3]) = (s0, s1, s2, s3);
        }
        for (; r < output.Length; r++) output[r] = Dot(w.Slice(r * n, n), x);
    }

    /// <summary>
    /// <see cref="DotRows"/> for two inputs at once: out0[r] = Dot(w_r, x0) and out1[r] = Dot(w_r, x1), each with Dot's
    /// operations in Dot's order (same bits), so every row of w is read once for both (half the memory traffic when w
    /// does not fit in cache).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotRows(ReadOnlySpan<double> w, ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, Span<double> out0, Span<double> out1)
    {
        var n = x0.Length;
        if (x1.Length != n || out1.Length != out0.Length || w.Length < out0.Length * n) ThrowLengths();
        ref var rx = ref MemoryMarshal.GetReference(x0);
        ref var ry = ref MemoryMarshal.GetReference(x1);
        var r = 0;
        for (; r <= out0.Length - 4; r += 4)
        {
            ref var w0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), r * n);
            ref var w1 = ref Unsafe.Add(ref w0, n);
            ref var w2 = ref Unsafe.Add(ref w1, n);
            ref var w3 = ref Unsafe.Add(ref w2, n);
            var i = 0;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            if (n >= 8)
            {
                Vector256<double> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
                Vector256<double> c0 = default, d0 = default, c1 = default, d1 = default, c2 = default, d2 = default, c3 = default, d3 = default;
                for (; i <= n - 8; i += 8)
                {
                    var x0a = Vector256.LoadUnsafe(ref rx, (nuint)i);
                    var x0b = Vector256.LoadUnsafe(ref rx, (nuint)(i + 4));
                    var x1a = Vector256.LoadUnsafe(ref ry, (nuint)i);
                    var x1b = Vector256.LoadUnsafe(ref ry, (nuint)(i + 4));
                    var v = Vector256.LoadUnsafe(ref w0, (nuint)i); a0 += v * x0a; c0 += v * x1a;
                    v = Vector256.LoadUnsafe(ref w0, (nuint)(i + 4)); b0 += v * x0b; d0 += v * x1b;
                    v = Vector256.LoadUnsafe(ref w1, (nuint)i); a1 += v * x0a; c1 += v * x1a;
                    v = Vector256.LoadUnsafe(ref w1, (nuint)(i + 4)); b1 += v * x0b; d1 += v * x1b;
                    v = Vector256.LoadUnsafe(ref w2, (nuint)i); a2 += v * x0a; c2 += v * x1a;
                    v = Vector256.LoadUnsafe(ref w2, (nuint)(i + 4)); b2 += v * x0b; d2 += v * x1b;
                    v = Vector256.LoadUnsafe(ref w3, (nuint)i); a3 += v * x0a; c3 += v * x1a;
                    v = Vector256.LoadUnsafe(ref w3, (nuint)(i + 4)); b3 += v * x0b; d3 += v * x1b;
                }
                (s0, s1, s2, s3) = (Sum(a0 + b0), Sum(a1 + b1), Sum(a2 + b2), Sum(a3 + b3));
                (t0, t1, t2, t3) = (Sum(c0 + d0), Sum(c1 + d1), Sum(c2 + d2), Sum(c3 + d3));
            }
            for (; i < n; i++)
            {
                double xi = Unsafe.Add(ref rx, i), yi = Unsafe.Add(ref ry, i);
                double v0 = Unsafe.Add(ref w0, i), v1 = Unsafe.Add(ref w1, i), v2 = Unsafe.Add(ref w2, i), v3 = Unsafe.Add(ref w3, i);
                s0 += v0 * xi; s1 += v1 * xi; s2 += v2 * xi; s3 += v3 * xi;
                t0 += v0 * yi; t1 += v1 * yi; t2 += v2 * yi; t3 += v3 * yi;
            }
            (out0[r], out0[r + 1], out0[r + 2], out0[r + 3]) = (s0, s1, s2, s3);
            (out1[r], out1[r + 1], out1[r + 2], out1[r + 3]) = (t0, t1, t2, t3);
        }
        for (; r < out0.Length; r++)
        {
            out0[r] = Dot(w.Slice(r * n, n), x0);
            out1[r] = Dot(w.Slice(r * n, n), x1);
        }
    }

    /// <summary>Dot's reduction of its accumulator: ((a0 + a1) + (a2 + a3)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Sum(Vector256<double> acc) => (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));

    static void ThrowLengths() => throw new ArgumentException("the spans' lengths do not match");

    /// <summary>‖x − y‖₂ with the same fixed summation order as <see cref="Dot"/> (TensorPrimitives.Distance's order follows the vector width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

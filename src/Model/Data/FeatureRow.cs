using System.Runtime.CompilerServices;

namespace DelaySim.Model.Data;

/// <summary>
/// One example's features, as the problems see them: a dense span of <see cref="Length"/> values, or the nonzeros of a
/// sparse row (<see cref="Indices"/> 0-based and increasing, <see cref="Values"/> beside them). Dense and sparse rows of
/// the same data give the same losses up to rounding: sparse kernels sum the nonzeros in index order.
/// </summary>
public readonly ref struct FeatureRow
{
    /// <summary>All d values (dense) or the nonzero values (sparse).</summary>
    public ReadOnlySpan<double> Values { get; }

    /// <summary>The columns of <see cref="Values"/> (sparse only; empty for a dense row).</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>d, the number of features.</summary>
    public int Length { get; }

    public bool IsSparse { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FeatureRow(ReadOnlySpan<double> dense)
    {
        Values = dense;
        Length = dense.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FeatureRow(ReadOnlySpan<int> indices, ReadOnlySpan<double> values, int length)
    {
        if (indices.Length != values.Length) throw new ArgumentException($"{indices.Length} indices for {values.Length} values");
        Indices = indices;
        Values = values;
        Length = length;
        IsSparse = true;
    }

    public static implicit operator FeatureRow(ReadOnlySpan<double> dense) => new(dense);
    public static implicit operator FeatureRow(Span<double> dense) => new(dense);
    public static implicit operator FeatureRow(double[] dense) => new(dense);

    /// <summary>Feature j (a binary search in a sparse row; for inspection, not for hot loops).</summary>
    public double this[int j]
    {
        get
        {
            if ((uint)j >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(j));
            if (!IsSparse) return Values[j];
            var k = Indices.BinarySearch(j);
            return k >= 0 ? Values[k] : 0;
        }
    }

    /// <summary>The row as a new dense array.</summary>
    public double[] ToArray()
    {
        var dense = new double[Length];
        CopyTo(dense);
        return dense;
    }

    /// <summary>Writes the row densely into the first <see cref="Length"/> entries of <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyTo(Span<double> destination)
    {
        if (!IsSparse)
        {
            Values.CopyTo(destination);
            return;
        }
        destination[..Length].Clear();
        for (var k = 0; k < Indices.Length; k++) destination[Indices[k]] = Values[k];
    }
}

namespace DelaySim.Model.Data;

/// <summary>
/// An immutable dataset: n rows of d features and one label per row, stored dense (row-major) or sparse (compressed
/// rows: <c>rowStart</c>, 0-based column <c>indices</c>, <c>values</c>) so that text data with 47,236 features fits.
/// A synthetic test set is held only in evaluation lanes (<see cref="InLanes"/>).
/// Labels are regression targets, ±1 for binary problems, or class indices 0..k−1. A twin dataset S^(i) shares the
/// arrays of S and overrides one row with a dense one (<see cref="WithReplacedRow"/>), so K twins cost K rows of memory.
/// </summary>
public sealed class Dataset
{
    readonly double[] _features;
    readonly int[]? _rowStart;
    readonly int[]? _indices;
    readonly double[] _labels;
    readonly int _overrideIndex;
    readonly double[]? _overrideRow;
    readonly double _overrideLabel;
    // A set stored in lanes (see InLanes): its first _laneStoredRows rows live only in _storedLanes, the rest in _features.
    readonly double[]? _storedLanes;
    readonly int _laneStoredRows;
    volatile bool _retired; // its lanes were handed on (Retire): reading them would read another set

    public Dataset(double[] features, double[] labels, int featureCount, int classCount = 0)
    {
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount));
        if (features.Length != labels.Length * featureCount)
            throw new ArgumentException($"features has {features.Length} values, expected {labels.Length} × {featureCount}");
        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
        _overrideIndex = -1;
        _lanes = new(BuildLanes);
    }

    Dataset(int[] rowStart, int[] indices, double[] values, double[] labels, int featureCount, int classCount)
    {
        _rowStart = rowStart;
        _indices = indices;
        _features = values;
        _labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
        _overrideIndex = -1;
        _lanes = new(BuildLanes);
    }

    /// <summary>
    /// A sparse dataset: row i holds the values <c>values[rowStart[i]..rowStart[i + 1]]</c> at the 0-based, increasing
    /// columns <c>indices[...]</c> of the same range.
    /// </summary>
    public static Dataset Sparse(int[] rowStart, int[] indices, double[] values, double[] labels, int featureCount, int classCount = 0)
    {
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount));
        if (rowStart.Length != labels.Length + 1 || rowStart[0] != 0 || rowStart[^1] != values.Length || indices.Length != values.Length)
            throw new ArgumentException("rowStart must run from 0 to values.Length with one entry per row plus one, and indices match values");
        for (var i = 0; i < labels.Length; i++)
            for (var k = rowStart[i]; k < rowStart[i + 1]; k++)
                if (indices[k] < 0 || indices[k] >= featureCount || (k > rowStart[i] && indices[k] <= indices[k - 1]))
                    throw new ArgumentException($"row {i}: column indices must increase within 0..{featureCount - 1}");
        return new Dataset(rowStart, indices, values, labels, featureCount, classCount);
    }

    Dataset(Dataset source, int index, double[] row, double label)
    {
        _features = source._features;
        _rowStart = source._rowStart;
        _indices = source._indices;
        _labels = source._labels;
        FeatureCount = source.FeatureCount;
        ClassCount = source.ClassCount;
        _overrideIndex = index;
        _overrideRow = row;
        _overrideLabel = label;
        _storedLanes = source._storedLanes;
        _laneStoredRows = source._laneStoredRows;
        _lanes = new(BuildLanes);
    }

    Dataset(double[] lanes, double[] tail, double[] labels, int featureCount)
    {
        _storedLanes = lanes;
        _laneStoredRows = labels.Length / LaneRows * LaneRows;
        _features = tail;
        _labels = labels;
        FeatureCount = featureCount;
        _overrideIndex = -1;
        _lanes = new(BuildLanes);
    }

    /// <summary>
    /// A dense dataset held only in the layout of <see cref="RowLanes"/> (<paramref name="lanes"/>, its full groups of
    /// eight rows) plus the Count mod 8 rows after them (<paramref name="tail"/>, row-major): a test set is read that way
    /// only, and a second copy of it was the largest allocation of a synthetic run. <see cref="Row"/> of a row in the
    /// lanes returns a copy.
    /// </summary>
    public static Dataset InLanes(double[] lanes, double[] tail, double[] labels, int featureCount)
    {
        var grouped = labels.Length / LaneRows * LaneRows;
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount));
        if (lanes.Length != grouped * featureCount || tail.Length != (labels.Length - grouped) * featureCount)
            throw new ArgumentException($"{labels.Length} rows of {featureCount} need {grouped * featureCount} lane values and {(labels.Length - grouped) * featureCount} tail values");
        return new Dataset(lanes, tail, labels, featureCount);
    }

    public int Count => _labels.Length;
    public int FeatureCount { get; }

    /// <summary>Number of classes for classification data, 0 for regression.</summary>
    public int ClassCount { get; }

    public bool IsSparse => _rowStart is not null;

    /// <summary>Stored values: n·d for dense data, the nonzeros for sparse data.</summary>
    public long StoredValues => _features.LongLength + (_storedLanes?.LongLength ?? 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // hot loops call it per row
    public FeatureRow Row(int i)
    {
        if (i == _overrideIndex) return _overrideRow!;
        if (_rowStart is null)
            return i < _laneStoredRows ? LaneRow(i) : _features.AsSpan((i - _laneStoredRows) * FeatureCount, FeatureCount);
        var start = _rowStart[i];
        var length = _rowStart[i + 1] - start;
        return new FeatureRow(_indices.AsSpan(start, length), _features.AsSpan(start, length), FeatureCount);
    }

    /// <summary>A copy of row i of a set stored in lanes: a cold path (a test set is read through its lanes).</summary>
    double[] LaneRow(int i)
    {
        ObjectDisposedException.ThrowIf(_retired, this);
        var (group, lane, d) = (i / LaneRows, i % LaneRows, FeatureCount);
        var row = new double[d];
        for (var j = 0; j < d; j++) row[j] = _storedLanes![(group * d + j) * LaneRows + lane];
        return row;
    }

    public double Label(int i) => i == _overrideIndex ? _overrideLabel : _labels[i];

    /// <summary>Rows per group of <see cref="RowLanes"/>: one 512-bit vector of doubles.</summary>
    internal const int LaneRows = 8;

    /// <summary>
    /// The dense rows in groups of <see cref="LaneRows"/>, feature-major within a group (value j of rows 8g..8g+7 side
    /// by side), for kernels that put rows in vector lanes; the last Count mod 8 rows are not in it. Built on first use.
    /// Null for sparse and twin datasets, which are not evaluated this way.
    /// </summary>
    internal double[]? RowLanes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_retired, this);
            return _rowStart is null && _overrideRow is null ? _lanes.Value : null;
        }
    }

    /// <summary>
    /// The lanes of a set stored in lanes (<see cref="InLanes"/>), handed on for another set to be drawn into (see
    /// <see cref="SpareArrays"/>); null for any other set. The set is unusable afterwards: reading its lanes throws
    /// rather than return another set's values.
    /// </summary>
    internal double[]? Retire()
    {
        if (_storedLanes is null) return null;
        _retired = true;
        return _storedLanes;
    }

    readonly Lazy<double[]> _lanes;

    double[] BuildLanes()
    {
        if (_storedLanes is not null) return _storedLanes;
        var d = FeatureCount;
        var lanes = new double[Count / LaneRows * LaneRows * d];
        for (var g = 0; g < Count / LaneRows; g++)
            for (var r = 0; r < LaneRows; r++)
                for (var j = 0; j < d; j++)
                    lanes[(g * d + j) * LaneRows + r] = _features[(LaneRows * g + r) * d + j];
        return lanes;
    }

    /// <summary>S^(i): this dataset with row <paramref name="index"/> replaced by (<paramref name="row"/>, <paramref name="label"/>).</summary>
    public Dataset WithReplacedRow(int index, ReadOnlySpan<double> row, double label)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        if (row.Length != FeatureCount) throw new ArgumentException($"row has {row.Length} features, expected {FeatureCount}");
        if (_overrideRow is not null) throw new InvalidOperationException("a twin dataset cannot be perturbed again");
        return new Dataset(this, index, row.ToArray(), label);
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order, as a new dataset: sparse if this one is, else row-major.</summary>
    public Dataset Select(IReadOnlyList<int> indices)
    {
        var d = FeatureCount;
        if (_rowStart is not null)
        {
            if (_overrideRow is not null) throw new InvalidOperationException("a sparse twin dataset cannot be subset");
            var rowStart = new int[indices.Count + 1];
            for (var k = 0; k < indices.Count; k++) rowStart[k + 1] = rowStart[k] + Row(indices[k]).Values.Length;
            var columns = new int[rowStart[^1]];
            var values = new double[rowStart[^1]];
            var y = new double[indices.Count];
            for (var k = 0; k < indices.Count; k++)
            {
                var row = Row(indices[k]);
                row.Indices.CopyTo(columns.AsSpan(rowStart[k]));
                row.Values.CopyTo(values.AsSpan(rowStart[k]));
                y[k] = Label(indices[k]);
            }
            return new Dataset(rowStart, columns, values, y, d, ClassCount);
        }
        var features = new double[indices.Count * d];
        var labels = new double[indices.Count];
        for (var k = 0; k < indices.Count; k++)
        {
            Row(indices[k]).CopyTo(features.AsSpan(k * d, d));
            labels[k] = Label(indices[k]);
        }
        return new Dataset(features, labels, d, ClassCount);
    }
}

/// <summary>A train set and a test set with the same feature count, plus the exact population risk when it is known.</summary>
public sealed record DataSplit(Dataset Train, Dataset Test, string Description, SyntheticRegression? Generator = null);

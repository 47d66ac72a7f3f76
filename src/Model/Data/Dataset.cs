namespace DelaySim.Model.Data;

/// <summary>
/// An immutable dense dataset: n rows of d features (row-major) and one label per row. Labels are regression targets,
/// ±1 for binary problems, or class indices 0..k−1. A twin dataset S^(i) shares the arrays of S and overrides one row
/// (<see cref="WithReplacedRow"/>), so K twins cost K rows of memory, not K datasets.
/// </summary>
public sealed class Dataset
{
    readonly double[] _features;
    readonly double[] _labels;
    readonly int _overrideIndex;
    readonly double[]? _overrideRow;
    readonly double _overrideLabel;

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
    }

    Dataset(Dataset source, int index, double[] row, double label)
    {
        _features = source._features;
        _labels = source._labels;
        FeatureCount = source.FeatureCount;
        ClassCount = source.ClassCount;
        _overrideIndex = index;
        _overrideRow = row;
        _overrideLabel = label;
    }

    public int Count => _labels.Length;
    public int FeatureCount { get; }

    /// <summary>Number of classes for classification data, 0 for regression.</summary>
    public int ClassCount { get; }

    public ReadOnlySpan<double> Row(int i) =>
        i == _overrideIndex ? _overrideRow : _features.AsSpan(i * FeatureCount, FeatureCount);

    public double Label(int i) => i == _overrideIndex ? _overrideLabel : _labels[i];

    /// <summary>S^(i): this dataset with row <paramref name="index"/> replaced by (<paramref name="row"/>, <paramref name="label"/>).</summary>
    public Dataset WithReplacedRow(int index, ReadOnlySpan<double> row, double label)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        if (row.Length != FeatureCount) throw new ArgumentException($"row has {row.Length} features, expected {FeatureCount}");
        if (_overrideRow is not null) throw new InvalidOperationException("a twin dataset cannot be perturbed again");
        return new Dataset(this, index, row.ToArray(), label);
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order, as a new dataset.</summary>
    public Dataset Select(IReadOnlyList<int> indices)
    {
        var d = FeatureCount;
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

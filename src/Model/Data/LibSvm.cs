using System.Globalization;
using System.IO.Compression;

namespace DelaySim.Model.Data;

/// <summary>How LIBSVM label tokens become labels.</summary>
public enum LabelMode
{
    /// <summary>Exactly two distinct values (−1/+1, 0/1, 1/2, ...): the smaller becomes −1, the larger +1.</summary>
    Binary,
    /// <summary>Integer class labels; the sorted distinct values become classes 0..k−1.</summary>
    Multiclass,
    /// <summary>Real-valued targets, kept as they are.</summary>
    Regression,
}

/// <summary>How LIBSVM rows are stored in memory.</summary>
public enum Storage
{
    /// <summary>Sparse when fewer than <see cref="LibSvm.SparseBelowDensity"/> of the n·d entries are stored, else dense.</summary>
    Auto,
    Dense,
    Sparse,
}

/// <summary>One parsed LIBSVM file: sparse rows with 1-based indices, raw labels.</summary>
public sealed record LibSvmFile(string Path, double[] Labels, int[][] Indices, double[][] Values, int MaxIndex);

/// <summary>
/// Reader for the LIBSVM text format (<c>label idx:value idx:value ...</c>), plain or gzip (by the .gz suffix).
/// Accepts every quirk of the shared data: labels written -1, +1, -1.0, 1.0, 0, 1, 2; exponent notation; explicit
/// zeros; label-only lines. Rejects, naming file and line: a bad label, a token without ':', a non-integer or
/// non-positive index, indices that do not increase, a non-finite value.
/// </summary>
public static class LibSvm
{
    public static LibSvmFile Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found (expected a LIBSVM file, plain or .gz)");
        using var stream = File.OpenRead(path);
        using Stream input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        using var reader = new StreamReader(input);
        try
        {
            return Parse(reader, path);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"{path}: not a valid gzip file ({e.Message})", e);
        }
    }

    public static LibSvmFile Parse(TextReader reader, string path)
    {
        var labels = new List<double>();
        var indices = new List<int[]>();
        var values = new List<double[]>();
        var maxIndex = 0;
        var lineNumber = 0;
        var rowIdx = new List<int>();
        var rowVal = new List<double>();
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            if (!TryParseDouble(tokens[0], out var label) || tokens[0].Contains(':'))
                throw Error(path, lineNumber, $"label '{tokens[0]}' is not a number (expected e.g. -1, +1, 1.0, 2)");
            rowIdx.Clear();
            rowVal.Clear();
            var previous = 0;
            for (var k = 1; k < tokens.Length; k++)
            {
                var token = tokens[k];
                var colon = token.IndexOf(':');
                if (colon <= 0) throw Error(path, lineNumber, $"token '{token}' is not of the form index:value");
                if (!int.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index <= 0)
                    throw Error(path, lineNumber, $"index in '{token}' is not a positive integer");
                if (index <= previous)
                    throw Error(path, lineNumber, $"index {index} does not increase (previous index {previous})");
                if (!TryParseDouble(token[(colon + 1)..], out var value))
                    throw Error(path, lineNumber, $"value in '{token}' is not a finite number");
                previous = index;
                rowIdx.Add(index);
                rowVal.Add(value);
            }
            maxIndex = Math.Max(maxIndex, previous);
            labels.Add(label);
            indices.Add(rowIdx.ToArray());
            values.Add(rowVal.ToArray());
        }
        if (labels.Count == 0) throw new BadInputException($"{path}: no examples (the file is empty)");
        return new LibSvmFile(path, labels.ToArray(), indices.ToArray(), values.ToArray(), maxIndex);
    }

    /// <summary>
    /// <see cref="Storage.Auto"/> stores sparse below this density: a stored nonzero costs 12 bytes against 8 for a dense
    /// entry, and the sparse kernels are a few times slower per entry than the vectorized dense ones, so at 10 % sparse is
    /// smaller and faster.
    /// </summary>
    public const double SparseBelowDensity = 0.1;

    /// <summary>
    /// Datasets from parsed files that share one label mapping and one feature count (<paramref name="featureCount"/>,
    /// or the largest index seen in any file when null), dense or sparse as <paramref name="storage"/> says (decided
    /// once for all files, so train and test are stored alike).
    /// </summary>
    public static Dataset[] ToDatasets(IReadOnlyList<LibSvmFile> files, LabelMode mode, int? featureCount = null, Storage storage = Storage.Dense)
    {
        var d = featureCount ?? files.Max(f => f.MaxIndex);
        if (d <= 0) throw new BadInputException($"{files[0].Path}: no features in any row");
        foreach (var f in files.Where(f => f.MaxIndex > d))
            throw new BadInputException($"{f.Path}: feature index {f.MaxIndex} exceeds the declared feature count {d}");
        var map = LabelMap(files, mode, out var classes);
        if (storage == Storage.Auto)
        {
            var stored = files.Sum(f => f.Indices.Sum(r => (long)r.Length));
            var entries = files.Sum(f => (long)f.Labels.Length) * d;
            storage = stored < SparseBelowDensity * entries ? Storage.Sparse : Storage.Dense;
        }
        if (storage == Storage.Sparse) return files.Select(f => ToSparse(f, map, d, classes)).ToArray();
        return files.Select(f =>
        {
            var x = new double[f.Labels.Length * d];
            var y = new double[f.Labels.Length];
            for (var i = 0; i < y.Length; i++)
            {
                y[i] = map(f.Labels[i]);
                var idx = f.Indices[i];
                var val = f.Values[i];
                for (var k = 0; k < idx.Length; k++) x[i * d + idx[k] - 1] = val[k];
            }
            return new Dataset(x, y, d, classes);
        }).ToArray();
    }

    static Dataset ToSparse(LibSvmFile f, Func<double, double> map, int d, int classes)
    {
        var rowStart = new int[f.Labels.Length + 1];
        for (var i = 0; i < f.Labels.Length; i++) rowStart[i + 1] = checked(rowStart[i] + f.Indices[i].Length);
        var columns = new int[rowStart[^1]];
        var values = new double[rowStart[^1]];
        var y = new double[f.Labels.Length];
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = map(f.Labels[i]);
            for (var k = 0; k < f.Indices[i].Length; k++)
            {
                columns[rowStart[i] + k] = f.Indices[i][k] - 1;
                values[rowStart[i] + k] = f.Values[i][k];
            }
        }
        return Dataset.Sparse(rowStart, columns, values, y, d, classes);
    }

    static Func<double, double> LabelMap(IReadOnlyList<LibSvmFile> files, LabelMode mode, out int classes)
    {
        classes = 0;
        if (mode == LabelMode.Regression) return y => y;
        var distinct = files.SelectMany(f => f.Labels).Distinct().Order().ToArray();
        var names = string.Join(", ", distinct.Take(12).Select(v => v.ToString(CultureInfo.InvariantCulture)));
        if (mode == LabelMode.Binary)
        {
            if (distinct.Length != 2)
                throw new BadInputException($"{files[0].Path}: binary labels need exactly two distinct values, found {distinct.Length} ({names})");
            classes = 2;
            var low = distinct[0];
            return y => y == low ? -1.0 : 1.0;
        }
        if (distinct.Any(v => v != Math.Round(v)))
            throw new BadInputException($"{files[0].Path}: multiclass labels must be integers, found {names}");
        classes = distinct.Length;
        var lookup = distinct.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => (double)p.i);
        return y => lookup[y];
    }

    static bool TryParseDouble(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    static BadInputException Error(string path, int line, string what) => new($"{path}:{line}: {what}");
}

using System.Globalization;

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

/// <summary>
/// One parsed LIBSVM file in compressed rows: row i holds <c>Values[RowStart[i]..RowStart[i + 1]]</c> at the 0-based,
/// increasing <c>Columns</c> of the same range; raw labels; the largest 1-based index seen.
/// </summary>
public sealed record LibSvmFile(string Path, double[] Labels, int[] RowStart, int[] Columns, double[] Values, int MaxIndex);

/// <summary>
/// Reader for the LIBSVM text format (<c>label idx:value idx:value ...</c>), plain or gzip (by the .gz suffix).
/// Accepts every quirk of the shared data: labels written -1, +1, -1.0, 1.0, 0, 1, 2; exponent notation; explicit
/// zeros; label-only lines. Rejects, naming file and line: a bad label, a token without ':', a non-integer or
/// non-positive index, indices that do not increase, a non-finite value. Tokens are parsed as spans straight into
/// compressed rows, so a 750 MB file costs its numbers, not a string per token.
/// </summary>
public static class LibSvm
{
    public static LibSvmFile Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found (expected a LIBSVM file, plain or .gz)");
        using var reader = new StreamReader(DataFile.Open(path));
        try
        {
            return Parse(reader, path);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"{path}: not a valid gzip file ({e.Message})", e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LibSvmFile Parse(TextReader reader, string path)
    {
        var labels = new List<double>();
        var rowStart = new List<int> { 0 };
        var columns = new Chunks<int>();
        var values = new Chunks<double>();
        var maxIndex = 0;
        var lineNumber = 0;
        while (reader.ReadLine() is { } text)
        {
            lineNumber++;
            var line = text.AsSpan();
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var rest = line;
            if (!NextToken(ref rest, out var first)) continue;
            if (!TryParseDouble(first, out var label) || first.Contains(':'))
                throw Error(path, lineNumber, $"label '{first}' is not a number (expected e.g. -1, +1, 1.0, 2)");
            var previous = 0;
            while (NextToken(ref rest, out var token))
            {
                var colon = token.IndexOf(':');
                if (colon <= 0) throw Error(path, lineNumber, $"token '{token}' is not of the form index:value");
                if (!int.TryParse(token[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index <= 0)
                    throw Error(path, lineNumber, $"index in '{token}' is not a positive integer");
                if (index <= previous)
                    throw Error(path, lineNumber, $"index {index} does not increase (previous index {previous})");
                if (!TryParseDouble(token[(colon + 1)..], out var value))
                    throw Error(path, lineNumber, $"value in '{token}' is not a finite number");
                previous = index;
                columns.Add(index - 1);
                values.Add(value);
            }
            maxIndex = Math.Max(maxIndex, previous);
            labels.Add(label);
            rowStart.Add(columns.Count);
        }
        if (labels.Count == 0) throw new BadInputException($"{path}: no examples (the file is empty)");
        return new LibSvmFile(path, labels.ToArray(), rowStart.ToArray(), columns.ToArray(), values.ToArray(), maxIndex);
    }

    /// <summary>
    /// An append-only buffer in fixed chunks: unlike a List it never copies while growing, so a file's nonzeros cost
    /// their own size plus one final array, not up to three times that.
    /// </summary>
    sealed class Chunks<T>
    {
        const int Size = 1 << 20;
        readonly List<T[]> _full = [];
        T[] _current = new T[Size];
        int _used;

        public int Count => _full.Count * Size + _used;

        public void Add(T item)
        {
            if (_used == Size)
            {
                _full.Add(_current);
                (_current, _used) = (new T[Size], 0);
            }
            _current[_used++] = item;
        }

        public T[] ToArray()
        {
            var all = new T[Count];
            for (var c = 0; c < _full.Count; c++) _full[c].CopyTo(all, c * Size);
            Array.Copy(_current, 0, all, _full.Count * Size, _used);
            return all;
        }
    }

    /// <summary>The next whitespace-separated token of <paramref name="rest"/>; false at the end of the line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static bool NextToken(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> token)
    {
        var start = 0;
        while (start < rest.Length && char.IsWhiteSpace(rest[start])) start++;
        var end = start;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
        token = rest[start..end];
        rest = rest[end..];
        return token.Length > 0;
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
    /// once for all files, so train and test are stored alike). Sparse datasets share the file's arrays.
    /// </summary>
    public static Dataset[] ToDatasets(IReadOnlyList<LibSvmFile> files, LabelMode mode, int? featureCount = null, Storage storage = Storage.Auto)
    {
        var d = featureCount ?? files.Max(f => f.MaxIndex);
        if (d <= 0) throw new BadInputException($"{files[0].Path}: no features in any row");
        foreach (var f in files.Where(f => f.MaxIndex > d))
            throw new BadInputException($"{f.Path}: feature index {f.MaxIndex} exceeds the declared feature count {d}");
        var map = LabelMap(files, mode, out var classes);
        if (storage == Storage.Auto)
        {
            var stored = files.Sum(f => (long)f.Values.Length);
            var entries = files.Sum(f => (long)f.Labels.Length) * d;
            storage = stored < SparseBelowDensity * entries ? Storage.Sparse : Storage.Dense;
        }
        return files.Select(f =>
        {
            var y = f.Labels.Select(map).ToArray();
            if (storage == Storage.Sparse) return Dataset.Sparse(f.RowStart, f.Columns, f.Values, y, d, classes);
            if ((long)y.Length * d > Array.MaxLength)
                throw new BadInputException($"{f.Path}: {y.Length} rows × {d} features is too large to store dense; use data.libsvm.storage = sparse");
            var x = new double[y.Length * d];
            for (var i = 0; i < y.Length; i++)
                for (var k = f.RowStart[i]; k < f.RowStart[i + 1]; k++)
                    x[i * d + f.Columns[k]] = f.Values[k];
            return new Dataset(x, y, d, classes);
        }).ToArray();
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

    static bool TryParseDouble(ReadOnlySpan<char> s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    static BadInputException Error(string path, int line, string what) => new($"{path}:{line}: {what}");
}

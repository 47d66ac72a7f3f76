using System.Globalization;

namespace DelaySim.Model.StalenessDomain;

/// <summary>
/// τ_t replayed from a measured staleness sequence (the delay, in iterations, of every update of a real asynchronous
/// run): τ_t = <paramref name="Values"/>[t], or [t mod length] when <paramref name="Repeat"/>; clamped at the step like
/// every staleness. Deterministic, so it consumes no random numbers and twins see the same sequence.
/// </summary>
public sealed record TraceStaleness(string Source, int Column, int[] Values, bool Repeat) : IStaleness
{
    public int Max { get; } = Values.Length > 0 ? Values.Max() : throw new ArgumentException("a staleness trace needs values");
    public double Mean { get; } = Values.Average();

    /// <summary>τ_t of the trace at step <paramref name="step"/>.</summary>
    public int At(long step) =>
        step < Values.Length ? Values[step]
        : Repeat ? Values[step % Values.Length]
        : throw new InvalidOperationException($"{Source}: step {step} is past the trace's {Values.Length} values (set delay.repeat = true to wrap around)");

    public IStalenessSequence Start(ulong seed, string stream) => new StepFunction(At);

    public double Expected(Func<long, double> f, long step) => f(Math.Min(At(step), step));

    /// <summary>The <see cref="Column"/> that reads every column of each row in turn (row by row, left to right).</summary>
    public const int AllColumns = -1;

    public string Label => $"trace({Path.GetFileName(Source)}{(Column == AllColumns ? ", all columns" : Column > 0 ? $", column {Column}" : "")})";

    /// <summary>
    /// Reads column <paramref name="column"/> (0-based; <see cref="AllColumns"/>: every column of each row in turn) of a
    /// CSV of staleness values, plain or gzipped, one row per update (per worker):
    /// an optional header line, then numbers (floats such as <c>3.000000e+00</c> are fine) that are whole and ≥ 0.
    /// </summary>
    public static int[] Read(string path, int column)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: staleness trace not found");
        var values = new List<int>();
        var number = 0;
        foreach (var line in Data.DataFile.Lines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(',');
            var parsed = fields.Select(f => double.TryParse(f.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null).ToArray();
            if (values.Count == 0 && parsed.Any(v => v is null)) continue; // a header
            if (column >= fields.Length)
                throw new BadInputException($"{path}:{number}: has {fields.Length} column(s); delay.column = {column} needs {column + 1}");
            foreach (var k in column == AllColumns ? Enumerable.Range(0, fields.Length) : [column])
            {
                if (parsed[k] is not { } value || value < 0 || value != Math.Floor(value) || value > 1_000_000)
                    throw new BadInputException($"{path}:{number}: column {k} must be a whole staleness ≥ 0 (at most 1,000,000), got '{fields[k].Trim()}'");
                values.Add((int)value);
            }
        }
        if (values.Count == 0) throw new BadInputException($"{path}: no staleness values");
        return values.ToArray();
    }
}

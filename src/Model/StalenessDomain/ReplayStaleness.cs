using System.Globalization;

namespace DelaySim.Model.StalenessDomain;

/// <summary>
/// A recorded run replayed step by step: at step t the gradient is taken at version v_t on the recorded samples, so
/// τ_t = t − v_t and the batch come from the recording, not from the "delay" and "samples" streams. A live run's
/// <c>trace.csv</c> is such a recording; replaying it in the staleness domain repeats trajectory 0 to the bit and adds
/// coupled twins on the same delays and samples. Consumes no random numbers.
/// </summary>
public sealed record ReplayStaleness(string Source, int[] Taus, int[] Samples, int BatchSize) : IStaleness, IRecordedBatches
{
    public int Steps => Taus.Length;
    public int Max { get; } = Taus.Length > 0 ? Taus.Max() : throw new ArgumentException("a replay needs steps");
    public double Mean { get; } = Taus.Average();

    public int At(long step) => step < Taus.Length
        ? Taus[step]
        : throw new InvalidOperationException($"{Source}: step {step} is past the recording's {Taus.Length} steps");

    public IStalenessSequence Start(ulong seed, string stream) => new StepFunction(At);

    public double Expected(Func<long, double> f, long step) => f(Math.Min(At(step), step));

    public string Label => $"replay({Path.GetFileName(Source)})";

    /// <summary>SHA-256 of the recorded versions and samples: two recordings replay alike only if it is equal.</summary>
    public string Fingerprint { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(Taus.Concat(Samples).ToArray().AsSpan())));

    public void Fill(long step, Span<int> batch)
    {
        if (batch.Length != BatchSize) throw new ArgumentException($"{Source}: recorded batches have {BatchSize} samples, the run asks for {batch.Length}");
        Samples.AsSpan(checked((int)(step * BatchSize)), BatchSize).CopyTo(batch);
    }

    /// <summary>The columns a recording needs, by header name; others (times, hosts) are read by the tools that want them.</summary>
    public static readonly string[] Columns = ["event", "step", "version", "samples"];

    /// <summary>
    /// Reads the applied steps of a recording (<c>trace.csv</c>): a header naming at least <see cref="Columns"/>, then one
    /// row per event; rows whose event is <c>applied</c> must be steps 0, 1, 2, … in order with 0 ≤ version ≤ step and the
    /// same number of samples (space-separated indices below <paramref name="n"/>). Other events (a lost worker) are
    /// skipped. A last line cut short (the recorder was killed mid-write) is left out: the recording is valid up to its
    /// last complete row.
    /// </summary>
    public static ReplayStaleness Read(string path, int n)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: recording not found");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new BadInputException($"{path}: empty; expected a header with {string.Join(", ", Columns)}");
        var header = lines[0].Split(',');
        var index = Columns.Select(c => Array.IndexOf(header, c)).ToArray();
        if (index.Any(i => i < 0))
            throw new BadInputException($"{path}:1: the header must name the columns {string.Join(", ", Columns)}; it has {lines[0]}");
        var taus = new List<int>();
        var samples = new List<int>();
        var batch = -1;
        for (var k = 1; k < lines.Length; k++)
        {
            var fields = lines[k].Split(',');
            if (fields.Length != header.Length)
            {
                if (k == lines.Length - 1 && fields.Length < header.Length) break; // a torn last line
                throw new BadInputException($"{path}:{k + 1}: has {fields.Length} fields, the header {header.Length}");
            }
            if (fields[index[0]] != "applied") continue;
            string Error(string what) => $"{path}:{k + 1}: {what}";
            if (!long.TryParse(fields[index[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step != taus.Count)
                throw new BadInputException(Error($"step must be {taus.Count} (applied steps in order from 0), got '{fields[index[1]]}'"));
            if (!long.TryParse(fields[index[2]], NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version > step)
                throw new BadInputException(Error($"version must be a whole number between 0 and the step {step}, got '{fields[index[2]]}'"));
            var drawn = fields[index[3]].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (batch < 0) batch = drawn.Length;
            if (drawn.Length == 0 || drawn.Length != batch)
                throw new BadInputException(Error($"samples must list {Math.Max(batch, 1)} example indices separated by spaces, got '{fields[index[3]]}'"));
            foreach (var s in drawn)
            {
                if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= n)
                    throw new BadInputException(Error($"sample '{s}' is not an example index in 0..{n - 1}"));
                samples.Add(i);
            }
            taus.Add(checked((int)(step - version)));
        }
        if (taus.Count == 0) throw new BadInputException($"{path}: no applied steps");
        return new ReplayStaleness(path, taus.ToArray(), samples.ToArray(), batch);
    }
}

/// <summary>A staleness process that also fixes each step's mini-batch (a replayed recording).</summary>
public interface IRecordedBatches
{
    int BatchSize { get; }

    /// <summary>The recorded batch of step <paramref name="step"/> into <paramref name="batch"/>.</summary>
    void Fill(long step, Span<int> batch);
}

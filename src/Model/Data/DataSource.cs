using System.Diagnostics.CodeAnalysis;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Data;

/// <summary>Where a replicate's train and test sets come from, and how a twin's replacement sample is drawn.</summary>
public interface IDataSource
{
    string Description { get; }

    /// <summary>The data of the replicate with master seed <paramref name="replicateSeed"/>.</summary>
    DataSplit Load(ulong replicateSeed);

    /// <summary>
    /// The training set of replicate <paramref name="replicateSeed"/> alone (what λ_max needs): the same rows, and the
    /// same object, as <see cref="Load"/>'s <see cref="DataSplit.Train"/>.
    /// </summary>
    Dataset LoadTrain(ulong replicateSeed) => Load(replicateSeed).Train;

    /// <summary>The replacement z′ for row <paramref name="index"/> of a perturbed set S^(i): fills <paramref name="row"/>, returns the label.</summary>
    double DrawReplacement(DataSplit split, int index, Rng rng, Span<double> row);
}

/// <summary>
/// Synthetic regression: each replicate draws its own training set of size n and test set of size n_test (streams
/// "data/train", "data/test"), so spreads over replicates include the randomness of S as in E_S[·]. The law (w*, Λ, σ)
/// is fixed by the run's master seed. A replacement sample is a fresh draw from the same law.
/// </summary>
/// <param name="spares">
/// Memory for the test sets' lanes that an earlier run of this process left (a standing node's): see
/// <see cref="Release"/>. Null: new memory.
/// </param>
public sealed class SyntheticSource(SyntheticRegression generator, int n, int testCount, SpareArrays? spares = null) : IDataSource
{
    /// <summary>The most memory the drawn sets of one source keep; replicates beyond it are drawn again when asked for.</summary>
    public const long KeepBytes = 1L << 30;

    // Common random numbers make replicate r's data the same in every cell that shares this source, so it is drawn once.
    // A training set drawn alone (for λ_max) is the one its split takes later: the test set, 60 times its size here,
    // is drawn only where a replicate runs (a cluster run's coordinator never draws one).
    readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, Lazy<DataSplit>> _drawn = new();
    readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, Lazy<Dataset>> _trains = new();
    long _keptBytes;

    public SyntheticRegression Generator => generator;
    public string Description => $"synthetic regression d={generator.Dimension} n={n} n_test={testCount} noise={generator.Noise}";

    public DataSplit Load(ulong replicateSeed) => Kept(_drawn, replicateSeed, testCount, () => new DataSplit(
        LoadTrain(replicateSeed),
        generator.SampleInLanes(testCount, Streams.For(replicateSeed, "data/test"), spares),
        Description,
        generator));

    public Dataset LoadTrain(ulong replicateSeed) =>
        Kept(_trains, replicateSeed, n, () => generator.Sample(n, Streams.For(replicateSeed, "data/train")));

    /// <summary>The value kept for <paramref name="replicateSeed"/>, else a new one, kept while the sets of <paramref name="rows"/> rows fit in <see cref="KeepBytes"/>.</summary>
    // Lazy<T> asks for the annotation (it could construct a T); every T here is made by draw.
    T Kept<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(System.Collections.Concurrent.ConcurrentDictionary<ulong, Lazy<T>> kept, ulong replicateSeed, int rows, Func<T> draw)
    {
        if (kept.TryGetValue(replicateSeed, out var known)) return known.Value;
        var bytes = Bytes(rows);
        if (Interlocked.Add(ref _keptBytes, bytes) > KeepBytes)
        {
            Interlocked.Add(ref _keptBytes, -bytes);
            return draw();
        }
        var mine = new Lazy<T>(draw);
        var winner = kept.GetOrAdd(replicateSeed, mine);
        if (!ReferenceEquals(winner, mine)) Interlocked.Add(ref _keptBytes, -bytes);
        return winner.Value;
    }

    public double DrawReplacement(DataSplit split, int index, Rng rng, Span<double> row) => generator.Draw(rng, row);

    /// <summary>
    /// The memory of the test sets drawn so far, for the next run's sets (<see cref="SpareArrays.Replace"/>); the source
    /// forgets them, and a later <see cref="Load"/> draws them again. Call it only when nothing reads them any more (the
    /// run is over); a set handed on throws when it is read. Without spares it hands on nothing.
    /// </summary>
    public double[][] Release()
    {
        if (spares is null) return [];
        var drawn = _drawn.Values.ToArray();
        _drawn.Clear();
        Interlocked.Add(ref _keptBytes, -drawn.Length * Bytes(testCount));
        return [.. drawn.Where(split => split.IsValueCreated).Select(split => split.Value.Test.Retire()).OfType<double[]>()];
    }

    long Bytes(int rows) => (long)rows * (generator.Dimension + 1) * sizeof(double);
}

/// <summary>
/// Fixed data (files): every replicate sees the same split. There is no law to draw a fresh sample from, so a
/// replacement is a uniformly chosen test example, the usual stand-in for an independent draw.
/// </summary>
public sealed class FixedSource(DataSplit split) : IDataSource
{
    public string Description => split.Description;
    public DataSplit Load(ulong replicateSeed) => split;

    public double DrawReplacement(DataSplit data, int index, Rng rng, Span<double> row)
    {
        var j = rng.NextIndex(data.Test.Count);
        data.Test.Row(j).CopyTo(row);
        return data.Test.Label(j);
    }

    /// <summary>A seeded random split of one dataset into train and test (the "split" stream of <paramref name="seed"/>).</summary>
    public static DataSplit Split(Dataset all, double testFraction, ulong seed, string description)
    {
        var order = Enumerable.Range(0, all.Count).ToArray();
        Shuffle.InPlace(order, Streams.For(seed, "data/split"));
        var testCount = (int)Math.Round(all.Count * testFraction);
        if (testCount <= 0 || testCount >= all.Count)
            throw new BadInputException($"{testFraction} leaves an empty train or test set for {all.Count} examples (expected a fraction that puts at least one example on each side)");
        return new DataSplit(all.Select(order[testCount..]), all.Select(order[..testCount]), description);
    }
}

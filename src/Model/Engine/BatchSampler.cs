using DelaySim.Model.Randomness;

namespace DelaySim.Model.Engine;

/// <summary>How mini-batch indices are drawn.</summary>
public enum Sampling
{
    /// <summary>i.i.d. uniform on {0..n−1} with replacement (the paper's analysis).</summary>
    Uniform,
    /// <summary>A fresh random permutation each epoch, consumed in order (what a shuffling data loader does).</summary>
    Shuffle,
}

/// <summary>
/// Draws mini-batch indices from a pool of example indices: i.i.d. uniform with replacement, or one fresh permutation
/// of the pool per epoch consumed in order.
/// </summary>
internal sealed class BatchSampler
{
    readonly int[] _pool;
    readonly Rng _rng;
    readonly int[]? _permutation;
    int _cursor;

    public BatchSampler(int[] pool, Sampling sampling, Rng rng)
    {
        if (pool.Length == 0) throw new ArgumentException("cannot sample from an empty pool of examples");
        (_pool, _rng) = (pool, rng);
        if (sampling == Sampling.Shuffle)
        {
            _permutation = new int[pool.Length];
            _cursor = pool.Length;
        }
    }

    /// <summary>All of 0..n−1.</summary>
    public static int[] All(int n) => Enumerable.Range(0, n).ToArray();

    /// <summary>The indices i of 0..n−1 with i mod <paramref name="shards"/> = <paramref name="shard"/>, ascending.</summary>
    public static int[] Shard(int n, int shards, int shard)
    {
        var pool = new int[Math.Max(0, (n - shard + shards - 1) / shards)];
        for (var k = 0; k < pool.Length; k++) pool[k] = shard + k * shards;
        return pool;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(Span<int> batch)
    {
        for (var j = 0; j < batch.Length; j++) batch[j] = Next();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int Next()
    {
        if (_permutation is null) return _pool[_rng.NextIndex(_pool.Length)];
        if (_cursor == _pool.Length)
        {
            _pool.CopyTo(_permutation, 0);
            Shuffle.InPlace(_permutation, _rng);
            _cursor = 0;
        }
        return _permutation[_cursor++];
    }
}

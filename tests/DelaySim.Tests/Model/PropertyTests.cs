using DelaySim.Model.Randomness;
using DelaySim.Model.Simulation;
using FsCheck.Xunit;

namespace DelaySim.Tests.Model;

/// <summary>Invariants checked on random inputs (FsCheck).</summary>
public class PropertyTests
{
    [Property]
    public bool The_event_queue_releases_batches_in_time_order_and_keeps_insertion_order_within_a_time(byte[] times)
    {
        var queue = new EventQueue<(int Time, int Order)>();
        for (var i = 0; i < times.Length; i++) queue.Enqueue(times[i] % 7, (times[i] % 7, i));
        var released = new List<(int Time, int Order)>();
        var batch = new List<(int Time, int Order)>();
        var last = double.NegativeInfinity;
        while (queue.TryDequeueBatch(batch, out var time))
        {
            if (time <= last || batch.Any(e => e.Time != time)) return false;
            last = time;
            released.AddRange(batch);
        }
        return released.Count == times.Length
            && released.SequenceEqual(released.OrderBy(e => e.Time).ThenBy(e => e.Order));
    }

    [Property]
    public bool A_bulk_gaussian_fill_returns_the_draws_one_at_a_time_would(ulong seed, byte before, byte[] lengths)
    {
        // 'before' single draws leave a spare or not; then fills of arbitrary lengths interleave with single draws.
        var single = new Rng(seed);
        var bulk = new Rng(seed);
        for (var i = 0; i < before % 3; i++)
            if (BitConverter.DoubleToInt64Bits(single.NextGaussian()) != BitConverter.DoubleToInt64Bits(bulk.NextGaussian())) return false;
        foreach (var length in lengths)
        {
            var filled = new double[length % 9];
            bulk.FillGaussian(filled);
            var expected = filled.Select(_ => single.NextGaussian()).ToArray();
            if (!filled.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(expected.Select(BitConverter.DoubleToInt64Bits))) return false;
            if (single.NextUInt64() != bulk.NextUInt64()) return false;
        }
        return true;
    }

    [Property]
    public bool A_shuffle_is_a_permutation(byte size, ulong seed)
    {
        var items = Enumerable.Range(0, size).ToArray();
        Shuffle.InPlace(items, new Rng(seed));
        return items.Order().SequenceEqual(Enumerable.Range(0, size));
    }

    [Property]
    public bool Unbiased_indices_stay_in_range(ulong seed, int n)
    {
        var bound = Math.Max(1, Math.Abs(n % 1000) + 1);
        var rng = new Rng(seed);
        return Enumerable.Range(0, 50).All(_ => rng.NextIndex(bound) is var i && i >= 0 && i < bound);
    }
}

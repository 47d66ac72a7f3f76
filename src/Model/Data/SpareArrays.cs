namespace DelaySim.Model.Data;

/// <summary>
/// Arrays a long-lived process hands from one run to the next, so that a new run's data is written into memory the
/// process has already touched. The first write to a fresh array of megabytes costs a page fault per 4 KiB page (about
/// 2 µs each on the reference machine: 18 ms for the test sets of ten seeds of the default scenario), and the runtime's
/// collector does not spare them: it gives the memory of dead large arrays back to the system. Whoever takes an array
/// writes every element before reading one, so what an array held before never reaches a result. Thread-safe.
/// </summary>
/// <param name="capacityBytes">The most memory kept between runs; arrays beyond it are left to the collector.</param>
public sealed class SpareArrays(long capacityBytes)
{
    readonly Dictionary<int, Stack<double[]>> _byLength = [];
    long _bytes;

    /// <summary>Memory kept now, in bytes.</summary>
    public long Bytes
    {
        get { lock (_byLength) return _bytes; }
    }

    /// <summary>
    /// A kept array of exactly <paramref name="length"/> elements, holding anything, else a new one. When no array of
    /// that length was kept at all, the rest is let go: this run draws sets of another size, and the memory is better free.
    /// </summary>
    public double[] Take(int length)
    {
        if (length == 0) return [];
        lock (_byLength)
        {
            if (!_byLength.TryGetValue(length, out var kept))
            {
                _byLength.Clear();
                _bytes = 0;
            }
            else if (kept.TryPop(out var array)) // else: more sets of this size than the last run drew here
            {
                _bytes -= (long)length * sizeof(double);
                return array;
            }
        }
        return new double[length]; // outside the lock: zeroing megabytes would hold up the other lanes
    }

    /// <summary>
    /// Keeps <paramref name="arrays"/> (which nothing may read or write any more) for the next run, instead of what is kept
    /// now: arrays the last run did not take are of no use to the next.
    /// </summary>
    public void Replace(IEnumerable<double[]> arrays)
    {
        lock (_byLength)
        {
            _byLength.Clear();
            _bytes = 0;
            foreach (var array in arrays)
            {
                var bytes = array.LongLength * sizeof(double);
                if (_bytes + bytes > capacityBytes) continue;
                _bytes += bytes;
                (_byLength.TryGetValue(array.Length, out var kept) ? kept : _byLength[array.Length] = new Stack<double[]>()).Push(array);
            }
        }
    }
}

namespace DelaySim.Model.Simulation;

/// <summary>
/// The discrete-event kernel's queue: events ordered by (virtual time, insertion sequence), the SimSharp tie-break.
/// The owner inserts the events produced by one batch in a deterministic order, so equal times never depend on which
/// message happened to arrive first.
/// </summary>
/// <remarks>
/// A binary heap of its own rather than <see cref="PriorityQueue{TElement, TPriority}"/>: the keys are unique, so the
/// order is the same, but the BCL queue over a tuple key is generic code no image can precompile, and a run of a few
/// seconds executes it as tier-0 JIT code with a comparer call per comparison (7 % of a time-domain run;
/// docs/PERFORMANCE.md).
/// </remarks>
public sealed class EventQueue<T>
{
    (double Time, long Sequence, T Item)[] _heap = new (double, long, T)[16];
    long _sequence;

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Enqueue(double time, T item)
    {
        if (!double.IsFinite(time)) throw new ArgumentOutOfRangeException(nameof(time), time, "event time must be finite");
        if (Count == _heap.Length) Array.Resize(ref _heap, 2 * _heap.Length);
        var entry = (time, _sequence++, item);
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Before(entry, _heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = entry;
    }

    /// <summary>Removes every event at the earliest time, in insertion order; returns false when empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryDequeueBatch(List<T> batch, out double time)
    {
        batch.Clear();
        if (Count == 0)
        {
            time = double.NaN;
            return false;
        }
        time = _heap[0].Time;
        while (Count > 0 && _heap[0].Time == time) batch.Add(RemoveFirst());
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    T RemoveFirst()
    {
        var first = _heap[0].Item;
        var last = _heap[--Count];
        _heap[Count] = default;
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= Count) break;
            if (child + 1 < Count && Before(_heap[child + 1], _heap[child])) child++;
            if (!Before(_heap[child], last)) break;
            _heap[i] = _heap[child];
            i = child;
        }
        if (Count > 0) _heap[i] = last;
        return first;
    }

    static bool Before((double Time, long Sequence, T Item) a, (double Time, long Sequence, T Item) b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);
}

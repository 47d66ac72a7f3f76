namespace DelaySim.Model.Simulation;

/// <summary>
/// The discrete-event kernel's queue: events ordered by (virtual time, insertion sequence), the SimSharp tie-break.
/// The owner inserts the events produced by one batch in a deterministic order, so equal times never depend on which
/// message happened to arrive first.
/// </summary>
public sealed class EventQueue<T>
{
    readonly PriorityQueue<T, (double Time, long Sequence)> _queue = new();
    long _sequence;

    public int Count => _queue.Count;

    public void Enqueue(double time, T item)
    {
        if (!double.IsFinite(time)) throw new ArgumentOutOfRangeException(nameof(time), time, "event time must be finite");
        _queue.Enqueue(item, (time, _sequence++));
    }

    /// <summary>Removes every event at the earliest time, in insertion order; returns false when empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryDequeueBatch(List<T> batch, out double time)
    {
        batch.Clear();
        if (!_queue.TryPeek(out _, out var first))
        {
            time = double.NaN;
            return false;
        }
        time = first.Time;
        while (_queue.TryPeek(out var item, out var key) && key.Time == time)
        {
            _queue.Dequeue();
            batch.Add(item);
        }
        return true;
    }
}

using DelaySim.Model.Simulation;
using FsCheck.Xunit;

namespace DelaySim.Tests.Model;

public class EventQueueTests
{
    [Fact]
    public void Batches_come_out_by_time_then_insertion_order()
    {
        var queue = new EventQueue<string>();
        queue.Enqueue(2, "c");
        queue.Enqueue(1, "a");
        queue.Enqueue(2, "d");
        queue.Enqueue(1, "b");
        var batch = new List<string>();
        Assert.True(queue.TryDequeueBatch(batch, out var t1));
        Assert.Equal(1.0, t1);
        Assert.Equal(["a", "b"], batch);
        Assert.True(queue.TryDequeueBatch(batch, out var t2));
        Assert.Equal(2.0, t2);
        Assert.Equal(["c", "d"], batch);
        Assert.False(queue.TryDequeueBatch(batch, out _));
    }

    [Fact]
    public void Non_finite_times_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventQueue<int>().Enqueue(double.NaN, 1));

    /// <summary>
    /// Against the BCL's PriorityQueue keyed by (time, sequence), which the queue replaced: any interleaving of
    /// enqueues (times from a few values, so ties are common) and batch dequeues gives the same batches.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Matches_a_priority_queue_keyed_by_time_and_sequence(byte[] script)
    {
        var queue = new EventQueue<int>();
        var reference = new PriorityQueue<int, (double, long)>();
        var batch = new List<int>();
        long sequence = 0;
        for (var k = 0; k < script.Length; k++)
        {
            if (script[k] % 4 != 0)
            {
                double time = script[k] % 7;
                queue.Enqueue(time, k);
                reference.Enqueue(k, (time, sequence++));
                continue;
            }
            var any = queue.TryDequeueBatch(batch, out var at);
            if (any != reference.Count > 0) return false;
            if (!any) continue;
            var expected = new List<int>();
            while (reference.TryPeek(out var item, out var key) && key.Item1 == at) expected.Add(reference.Dequeue());
            if (!batch.SequenceEqual(expected) || queue.Count != reference.Count) return false;
        }
        return true;
    }
}

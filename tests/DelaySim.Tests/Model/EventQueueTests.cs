using DelaySim.Model.Simulation;

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
}

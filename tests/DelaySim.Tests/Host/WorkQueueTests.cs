using DelaySim.Host.Cluster;

namespace DelaySim.Tests.Host;

/// <summary>The coordinator's queue of cell parts: seeds split evenly, each runner kept to its part, stealing at the end.</summary>
public class WorkQueueTests
{
    [Fact]
    public void The_parts_of_a_cell_cover_its_seeds_once_in_order_and_differ_by_at_most_one_seed()
    {
        for (var seeds = 1; seeds <= 40; seeds++)
        for (var parts = 1; parts <= Math.Min(seeds, 8); parts++)
        {
            var ranges = Enumerable.Range(0, parts).Select(p => WorkQueue.Seeds(seeds, p, parts)).ToArray();
            Assert.Equal(Enumerable.Range(0, seeds), ranges.SelectMany(r => Enumerable.Range(r.First, r.Count)));
            Assert.True(ranges.Max(r => r.Count) - ranges.Min(r => r.Count) <= 1, $"{seeds} seeds in {parts} parts");
        }
    }

    [Fact]
    public void Each_runner_keeps_to_its_part_then_takes_from_the_part_with_the_most_left()
    {
        var queue = new WorkQueue([2, 0, 1], parts: 2); // cells in the order given (largest first)
        (int, int) Take(string runner)
        {
            Assert.True(queue.TryTake(runner, out var work), $"nothing for {runner}");
            return work;
        }

        Assert.Equal(6, queue.Count);
        Assert.Equal((2, 0), Take("a"));
        Assert.Equal((2, 1), Take("b"));   // a new runner gets the part with the fewest runners
        Assert.Equal((0, 0), Take("a"));
        Assert.Equal((1, 0), Take("a"));
        Assert.Equal((0, 1), Take("a"));   // a's part is used up: from b's, which has the most left
        queue.PutBack([(1, 0)]);           // a runner was lost holding (1, 0): back to the front of part 0
        Assert.Equal((1, 1), Take("b"));   // b's own part first
        Assert.Equal((1, 0), Take("b"));   // then what is left elsewhere
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryTake("a", out _));
    }
}

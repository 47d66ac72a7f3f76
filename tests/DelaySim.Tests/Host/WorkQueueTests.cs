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

    [Fact]
    public void A_runner_takes_from_a_part_it_has_drawn_before_any_other_and_from_a_new_one_only_if_the_caller_finds_it_worth_it()
    {
        var queue = new WorkQueue([0, 1, 2, 3], parts: 3);
        Assert.True(queue.TryTake("a", out var work, out var first));
        Assert.Equal(((0, 0), true), (work, first));
        Assert.True(queue.TryTake("b", out work, out first));
        Assert.Equal(((0, 1), true), (work, first));
        Assert.True(queue.TryTake("c", out work, out _));
        Assert.Equal((0, 2), work);
        while (queue.Queued(0).Count > 0) queue.TryTake("a", out _);
        Assert.True(queue.TryTake("c", out _));   // c's part now has 2 left, b's 3

        var asked = new List<int>();
        Assert.False(queue.TryTake("a", out _, out _, part => { asked.Add(part); return false; }));
        Assert.Equal([1, 2], asked);              // the parts a has not drawn, most left first
        Assert.Equal(5, queue.Count);             // a refusal takes nothing
        Assert.Equal(["b"], queue.Owners(1));

        Assert.True(queue.TryTake("a", out work, out first, part => part == 2)); // the biggest refused, the next allowed
        Assert.Equal(((2, 2), true), (work, first));
        Func<int, bool> never = _ => throw new InvalidOperationException("asked about a part a has drawn");
        Assert.True(queue.TryTake("a", out work, out first, never));
        Assert.Equal(((3, 2), false), (work, first));   // a keeps to the part it has drawn
        Assert.True(queue.TryTake("a", out work, out first, _ => true));
        Assert.Equal(((1, 1), true), (work, first));
        Assert.True(queue.TryTake("a", out work, out first, never));
        Assert.Equal(((2, 1), false), (work, first));
    }
}

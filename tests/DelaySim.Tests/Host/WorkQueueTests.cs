using DelaySim.Host.Cluster;

namespace DelaySim.Tests.Host;

/// <summary>The coordinator's queue of cell parts: seeds split evenly with a small tail, each runner kept to its part, stealing at the end.</summary>
public class WorkQueueTests
{
    [Fact]
    public void The_parts_of_a_cell_cover_its_seeds_once_in_order_the_owned_ones_evenly_and_the_tail_with_one_or_two()
    {
        for (var seeds = 1; seeds <= 120; seeds++)
        for (var parts = 1; parts <= Math.Min(seeds, 8); parts++)
        {
            var ranges = Enumerable.Range(0, parts).Select(p => WorkQueue.Seeds(seeds, p, parts)).ToArray();
            Assert.Equal(Enumerable.Range(0, seeds), ranges.SelectMany(r => Enumerable.Range(r.First, r.Count)));
            Assert.All(ranges, r => Assert.True(r.Count >= 1, $"{seeds} seeds in {parts} parts: an empty part"));
            var owned = parts >= 3 ? ranges[..^1] : ranges;
            Assert.True(owned.Max(r => r.Count) - owned.Min(r => r.Count) <= 1, $"{seeds} seeds in {parts} parts");
            if (parts >= 3) Assert.Equal(seeds >= 20 && seeds - parts + 1 >= 2 ? 2 : 1, ranges[^1].Count);
        }
        Assert.Equal([(0, 9), (9, 9), (18, 2)], Enumerable.Range(0, 3).Select(p => WorkQueue.Seeds(20, p, 3)));
    }

    [Theory]
    [InlineData(0, 20, 1)]
    [InlineData(1, 20, 1)]   // one node: whole cells
    [InlineData(2, 1, 1)]    // one seed: nothing to cut
    [InlineData(2, 2, 2)]    // a seed each, no tail
    [InlineData(2, 3, 3)]
    [InlineData(2, 20, 3)]   // two nodes' parts and the tail
    [InlineData(4, 20, 5)]
    [InlineData(8, 5, 5)]    // at most one part per seed
    public void A_run_is_cut_into_one_part_per_node_and_a_tail_at_most_one_per_seed(int runners, int seeds, int parts) =>
        Assert.Equal(parts, WorkQueue.PartsFor(runners, seeds));

    /// <summary>The tail belongs to nobody: whoever has taken from it holds its data, and others ask the pace whether to join.</summary>
    [Fact]
    public void The_owners_of_the_tail_are_the_runners_that_have_taken_from_it()
    {
        var queue = new WorkQueue([0, 1, 2], parts: 3);
        Assert.True(queue.TryTake("a", out _));
        Assert.True(queue.TryTake("b", out _));
        Assert.Empty(queue.Owners(2));
        while (queue.Queued(1).Count > 0) Assert.True(queue.TryTake("b", out _));
        Assert.True(queue.TryTake("b", out var work, out var first, part => part == 2));   // b's part done: the tail (more left than a's)
        Assert.Equal(((0, 2), true), (work, first));
        Assert.Equal(["b"], queue.Owners(2));
        Assert.Equal(["a"], queue.Owners(0));
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

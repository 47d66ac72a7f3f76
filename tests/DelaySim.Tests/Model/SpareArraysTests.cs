using DelaySim.Host.Pipeline;
using DelaySim.Model.Data;
using DelaySim.Model.Problems;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>A standing node draws a new run's synthetic test sets into the memory of the last run's (<see cref="SpareArrays"/>).</summary>
public class SpareArraysTests
{
    [Fact]
    public void It_hands_out_kept_arrays_of_the_exact_length_within_its_capacity_and_new_ones_otherwise()
    {
        var spares = new SpareArrays(capacityBytes: 3 * 100 * sizeof(double));
        double[] a = new double[100], b = new double[100], c = new double[50], d = new double[100];
        spares.Replace([a, b, c, d]); // d does not fit
        Assert.Equal(250 * sizeof(double), spares.Bytes);
        var taken = new[] { spares.Take(100), spares.Take(100) };
        Assert.True(taken.Contains(a, ReferenceEqualityComparer.Instance) && taken.Contains(b, ReferenceEqualityComparer.Instance));
        Assert.Same(c, spares.Take(50));
        Assert.Equal(0, spares.Bytes);
        var fresh = spares.Take(100);
        Assert.DoesNotContain(new[] { a, b, c, d }, kept => ReferenceEquals(kept, fresh));

        // A length it does not keep: what it keeps is let go (that run draws sets of another size).
        spares.Replace([a, c]);
        Assert.NotSame(c, spares.Take(60));
        Assert.Equal(0, spares.Bytes);
        Assert.NotSame(c, spares.Take(50));

        // What the last run left and the next did not take is dropped for what the next run leaves.
        spares.Replace([a]);
        spares.Replace([b]);
        Assert.Same(b, spares.Take(100));
        Assert.NotSame(a, spares.Take(100));
    }

    /// <summary>
    /// The next run's test sets are drawn into the last run's memory, bit for bit what new memory would hold, and a set
    /// whose memory was handed on throws when read instead of reading another run's values.
    /// </summary>
    [Fact]
    public void A_source_draws_into_the_memory_another_released_and_gets_the_sets_of_new_memory()
    {
        const int d = 12, n = 20, testCount = 203; // 25 groups of eight rows and a tail of three
        var spares = new SpareArrays(1L << 30);
        SyntheticSource Source(ulong seed, SpareArrays? with) => new(new SyntheticRegression(d, 0.5, 1, 1, seed), n, testCount, with);
        var last = Source(1, spares);
        var lastSets = new[] { 5UL, 6UL }.Select(seed => last.Load(seed).Test).ToArray();
        var lastLanes = lastSets.Select(t => t.RowLanes!).ToArray();

        spares.Replace(last.Release());

        Assert.Equal(2L * 25 * 8 * d * sizeof(double), spares.Bytes);
        foreach (var set in lastSets)
        {
            Assert.Throws<ObjectDisposedException>(() => set.RowLanes);
            Assert.Throws<ObjectDisposedException>(() => new LeastSquares(d).MeanLosses([new double[d]], set));
        }
        var next = Source(2, spares);
        var drawn = new[] { 7UL, 8UL }.Select(seed => next.Load(seed).Test).ToArray();
        Assert.Equal(0, spares.Bytes);
        Assert.All(drawn, set => Assert.Contains(lastLanes, lanes => ReferenceEquals(lanes, set.RowLanes)));
        var fresh = Source(2, null);
        foreach (var (set, seed) in drawn.Zip(new[] { 7UL, 8UL }))
        {
            var expected = fresh.Load(seed).Test;
            Assert.Equal(expected.RowLanes!.Select(BitConverter.DoubleToInt64Bits), set.RowLanes!.Select(BitConverter.DoubleToInt64Bits));
            for (var i = 0; i < testCount; i++)
            {
                Assert.Equal(expected.Label(i), set.Label(i));
                Assert.True(expected.Row(i).Values.SequenceEqual(set.Row(i).Values), $"row {i} of seed {seed} differs");
            }
        }

        // A released source draws its sets again, the same values.
        var again = last.Load(5).Test;
        Assert.NotSame(lastSets[0], again);
        Assert.Equal(Source(1, null).Load(5).Test.RowLanes!.Select(BitConverter.DoubleToInt64Bits), again.RowLanes!.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>
    /// A plan with several synthetic sources (a sweep over the noise) hands every source's test sets on together; each
    /// source of the next run of the same plan then draws into them, none into new memory.
    /// </summary>
    [Fact]
    public void A_plan_hands_on_the_test_sets_of_all_its_sources_and_the_next_run_takes_them_all()
    {
        var scenario = Scenarios.Parse(Scenarios.Small + "\nsweep { \"data.synthetic.noise\" = [0.3, 0.6] }");
        var spares = new SpareArrays(1L << 30);
        IReadOnlyList<Dataset> TestSets(IReadOnlyList<Cell> cells) =>
            [.. cells.Select(c => c.Spec.Data).Distinct().SelectMany(source => new[] { 1UL, 2UL }.Select(seed => source.Load(seed).Test))];
        var last = CellPlan.Build(scenario, spares);
        var lanes = TestSets(last).Select(t => t.RowLanes!).ToArray();
        Assert.Equal(4, lanes.Length);   // two sources, two seeds

        CellPlan.Release(last, spares);

        Assert.Equal(lanes.Sum(l => l.LongLength * sizeof(double)), spares.Bytes);
        Assert.Empty(spares.Take(0));   // a test set of fewer than eight rows has no lanes: nothing is let go for it
        Assert.Equal(lanes.Sum(l => l.LongLength * sizeof(double)), spares.Bytes);
        var next = TestSets(CellPlan.Build(scenario, spares));
        Assert.Equal(0, spares.Bytes);
        Assert.All(next, set => Assert.Contains(lanes, l => ReferenceEquals(l, set.RowLanes)));
    }
}

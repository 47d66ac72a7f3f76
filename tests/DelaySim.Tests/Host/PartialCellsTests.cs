using DelaySim.Host.Cluster;
using DelaySim.Model.Engine;

namespace DelaySim.Tests.Host;

public class PartialCellsTests
{
    static ReplicateResult[] Seeds(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(s => new ReplicateResult(s, (ulong)s, [], double.NaN, [], []))];

    static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    /// <summary>
    /// Parts cut unevenly (a split at the end of a run: seeds 0–4 and 5–9, then 3–4 taken from the first part for the
    /// cells it had left), reported in any order and interleaved across cells: each cell completes with its last part,
    /// its replicates in seed order.
    /// </summary>
    [Fact]
    public void A_cell_completes_when_its_parts_cover_every_seed_with_its_replicates_in_seed_order()
    {
        var cells = new PartialCells(seeds: 10);
        Assert.Null(cells.Add(cell: 4, firstSeed: 5, count: 5, Seeds(5, 5), Ms(30)));
        Assert.Null(cells.Add(cell: 7, firstSeed: 0, count: 5, Seeds(0, 5), Ms(1)));
        Assert.Null(cells.Add(cell: 4, firstSeed: 3, count: 2, Seeds(3, 2), Ms(20)));
        var (replicates, time) = cells.Add(cell: 4, firstSeed: 0, count: 3, Seeds(0, 3), Ms(10)) ?? throw new Xunit.Sdk.XunitException("cell 4 is complete");
        Assert.Equal(Enumerable.Range(0, 10), replicates.Select(r => r.Index));
        Assert.Equal(Ms(60), time);
        Assert.Equal(Enumerable.Range(0, 10), cells.Add(cell: 7, firstSeed: 5, count: 5, Seeds(5, 5), Ms(1))!.Value.Replicates.Select(r => r.Index));
        Assert.Equal(10, cells.Add(cell: 9, firstSeed: 0, count: 10, Seeds(0, 10), Ms(1))!.Value.Replicates.Length);   // one part, all seeds
    }
}

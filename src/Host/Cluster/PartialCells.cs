using DelaySim.Model.Engine;

namespace DelaySim.Host.Cluster;

/// <summary>
/// The finished parts of the cells not complete yet. A cell is complete when its parts cover the run's
/// <paramref name="seeds"/> seeds; its replicates are then the parts' in seed order, the list a local run stores,
/// whichever runners ran which seeds and in whatever order they reported.
/// </summary>
internal sealed class PartialCells(int seeds)
{
    readonly Dictionary<int, (SortedDictionary<int, IReadOnlyList<ReplicateResult>> Parts, int Covered, TimeSpan Time)> _cells = [];

    /// <summary>
    /// Part [<paramref name="firstSeed"/>, + <paramref name="count"/>) of <paramref name="cell"/>, which took
    /// <paramref name="time"/>: the cell's replicates and its parts' summed time once it is complete, else null.
    /// </summary>
    public (ReplicateResult[] Replicates, TimeSpan Time)? Add(int cell, int firstSeed, int count, IReadOnlyList<ReplicateResult> replicates, TimeSpan time)
    {
        var (parts, covered, sum) = _cells.TryGetValue(cell, out var known) ? known : (new(), 0, TimeSpan.Zero);
        parts[firstSeed] = replicates;
        (covered, sum) = (covered + count, sum + time);
        if (covered < seeds)
        {
            _cells[cell] = (parts, covered, sum);
            return null;
        }
        _cells.Remove(cell);
        return ([.. parts.Values.SelectMany(p => p)], sum);
    }
}

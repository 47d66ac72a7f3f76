namespace DelaySim.Model.Engine;

/// <summary>Histograms of staleness: counts[s] = number of updates applied with staleness s.</summary>
public static class StalenessCounts
{
    public static long[] Merge(IEnumerable<long[]> histograms)
    {
        var all = histograms.ToArray();
        var merged = new long[all.Length == 0 ? 0 : all.Max(h => h.Length)];
        foreach (var h in all)
            for (var s = 0; s < h.Length; s++) merged[s] += h[s];
        return merged;
    }

    public static long Total(long[] counts) => counts.Sum();

    /// <summary>Mean staleness; NaN when no update was applied.</summary>
    public static double Mean(long[] counts)
    {
        var total = Total(counts);
        return total == 0 ? double.NaN : counts.Select((c, s) => (double)c * s).Sum() / total;
    }

    /// <summary>The largest staleness seen, −1 when none.</summary>
    public static int Max(long[] counts) => Array.FindLastIndex(counts, c => c > 0);
}

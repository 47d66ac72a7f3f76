namespace DelaySim.Model.TimeDomain;

/// <summary>
/// What one worker's applied updates saw: staleness (server versions between its pull and the apply) counted by value,
/// and the realized compute, uplink and downlink times.
/// </summary>
public sealed class WorkerStats
{
    public long Updates { get; private set; }
    public long[] StalenessCounts { get; private set; } = new long[8];
    public double ComputeSum { get; private set; }
    public double UplinkSum { get; private set; }
    public double DownlinkSum { get; private set; }
    public long Downlinks { get; private set; }

    public long MaxStaleness => Engine.StalenessCounts.Max(StalenessCounts);
    public double MeanStaleness => Engine.StalenessCounts.Mean(StalenessCounts);

    /// <summary>Statistics read back from a finished cell's file (resumed runs).</summary>
    public static WorkerStats Restore(long updates, long[] staleness, double compute, double uplink, double downlink, long downlinks) => new()
    {
        Updates = updates, StalenessCounts = staleness, ComputeSum = compute, UplinkSum = uplink, DownlinkSum = downlink, Downlinks = downlinks,
    };

    public void RecordApplied(long staleness, double compute, double uplink)
    {
        if (staleness >= StalenessCounts.Length)
        {
            var grown = StalenessCounts;
            Array.Resize(ref grown, (int)Math.Max(staleness + 1, 2 * StalenessCounts.Length));
            StalenessCounts = grown;
        }
        StalenessCounts[staleness]++;
        Updates++;
        ComputeSum += compute;
        UplinkSum += uplink;
    }

    public void RecordDownlink(double latency)
    {
        DownlinkSum += latency;
        Downlinks++;
    }
}

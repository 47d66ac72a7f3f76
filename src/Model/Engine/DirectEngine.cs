namespace DelaySim.Model.Engine;

/// <summary>
/// Runs a replicate on one thread, without actors: the oracle the actor engine must match bit for bit, and the speed
/// baseline. Each domain's server is the same pure state machine the actors wrap; only the driver differs.
/// </summary>
public static class DirectEngine
{
    public static ReplicateResult Run(Replicate replicate, int index) =>
        replicate.Spec.Time is null
            ? StalenessDomain.StalenessLoop.Run(replicate, index)
            : TimeDomain.TimeLoop.Run(replicate, index);
}

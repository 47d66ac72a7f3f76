namespace DelaySim.Model.TimeDomain;

/// <summary>Who an event is for: the server, or worker m ≥ 0.</summary>
public readonly record struct Address(int Worker)
{
    public static readonly Address Server = new(-1);
    public bool IsServer => Worker < 0;
}

/// <summary>An event to deliver at an absolute virtual time.</summary>
public readonly record struct Outgoing(double Time, Address Target, object Payload);

/// <summary>w of every trajectory at <paramref name="Version"/>, for worker <paramref name="Worker"/>.</summary>
public sealed record Snapshot(int Worker, long Version, double[][] Parameters);

/// <summary>
/// A worker's gradients (one per trajectory) taken at <paramref name="Version"/>, whose parameters were
/// <paramref name="At"/> (the worker's snapshot, for rules that correct for the delay), with the times it took.
/// </summary>
public sealed record GradientArrival(int Worker, long Version, double[][] Gradients, double ComputeTime, double Uplink, double[][] At);

/// <summary>Sum policy: apply the gradients gathered at this virtual time (scheduled after all of them).</summary>
internal sealed record ApplyTick
{
    public static readonly ApplyTick Instance = new();
}

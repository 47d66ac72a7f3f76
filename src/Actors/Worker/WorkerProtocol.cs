using Akka.Actor;

namespace DelaySim.Actors.Worker;

/// <summary>
/// Compute the mini-batch gradient of step <paramref name="Step"/> at the snapshot of version <paramref name="Version"/>,
/// one snapshot per trajectory (index 0 trains on S, k ≥ 1 on the twin S^(i_k)); the result goes to <paramref name="Server"/>.
/// </summary>
public sealed record ComputeGradient(long Step, long Version, int[] Batch, double[][] Snapshots, IActorRef Server);

/// <summary>The gradients of step <paramref name="Step"/>, one per trajectory, taken at version <paramref name="Version"/>.</summary>
public sealed record GradientReady(long Step, long Version, double[][] Gradients);

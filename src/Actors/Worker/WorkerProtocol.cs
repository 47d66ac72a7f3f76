using Akka.Actor;

namespace DelaySim.Actors.Worker;

/// <summary>
/// Compute the mini-batch gradient of step <paramref name="Step"/> at version <paramref name="Version"/>, one per
/// trajectory (index 0 trains on S, k ≥ 1 on the twin S^(i_k)), into <paramref name="Gradients"/>; the result goes to
/// <paramref name="Server"/>. Zero-copy and local only: <paramref name="Snapshots"/> are read-only views of the server's
/// history ring (unchanged until the step is applied) and the gradient buffers belong to the worker until it answers.
/// </summary>
/// The worker answers the clock's event <paramref name="EventId"/> for the server, as part <paramref name="Part"/> of
/// <paramref name="Parts"/>: the compute takes no virtual time, so it needs no event of its own.
public sealed record ComputeGradient(long Step, long Version, int[] Batch, ReadOnlyMemory<double>[] Snapshots, double[][] Gradients, IActorRef Server,
    IActorRef Clock, long EventId, int Part, int Parts);

/// <summary>The gradients of step <paramref name="Step"/>, one per trajectory, taken at version <paramref name="Version"/>.</summary>
public sealed record GradientReady(long Step, long Version, double[][] Gradients);

using Akka.Actor;
using DelaySim.Model.StalenessDomain;

namespace DelaySim.Actors.StalenessDomain;

/// <summary>The first event of a staleness-domain run, at virtual time 0: version 0 (w_0) exists, start handing out work.</summary>
internal sealed record BeginTraining
{
    public static readonly BeginTraining Instance = new();
}

/// <summary>
/// Compute the gradients of <paramref name="Work"/> into <paramref name="Gradients"/> (one buffer per trajectory, the
/// worker's until it answers) and send them to <paramref name="Server"/>. Local only: the work's batch and snapshots are
/// views of the server's rings. The worker answers the clock's event <paramref name="EventId"/> for the server, as part
/// <paramref name="Part"/> of <paramref name="Parts"/>: computing takes no virtual time, so it needs no event of its own.
/// </summary>
internal sealed record ComputeGradient(StepWork Work, double[][] Gradients, IActorRef Server, IActorRef Clock, long EventId, int Part, int Parts);

/// <summary>The gradients of <paramref name="Work"/>, one per trajectory.</summary>
internal sealed record GradientReady(StepWork Work, double[][] Gradients);

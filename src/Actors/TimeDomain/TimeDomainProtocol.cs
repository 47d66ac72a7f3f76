using Akka.Actor;

namespace DelaySim.Actors.TimeDomain;

/// <summary>The first event of a time-domain run, at virtual time 0: the server sends w_0 to these workers.</summary>
internal sealed record StartTimeDomain(IReadOnlyList<IActorRef> Workers);

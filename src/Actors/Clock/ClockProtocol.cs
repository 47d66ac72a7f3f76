using Akka.Actor;

namespace DelaySim.Actors.Clock;

/// <summary>An event to deliver to <paramref name="Target"/> at virtual time <paramref name="Time"/>.</summary>
public sealed record ScheduledEvent(double Time, IActorRef Target, object Payload);

/// <summary>Adds events to the queue (the run's initial events).</summary>
public sealed record Schedule(IReadOnlyList<ScheduledEvent> Events);

/// <summary>The clock hands an event to its target; the target must answer with <see cref="Handled"/>.</summary>
internal sealed record Deliver(long EventId, double Time, object Payload);

/// <summary>
/// An answer to <see cref="Deliver"/>: the events the handling scheduled (times ≥ the event's time). A target may hand
/// the answer on to helpers: then it comes in <paramref name="Parts"/> parts, numbered by <paramref name="Part"/>, possibly
/// from different actors, and the clock orders the events by part, whatever order the parts arrive in.
/// </summary>
internal sealed record Handled(long EventId, IReadOnlyList<ScheduledEvent> Next, int Part = 0, int Parts = 1)
{
    public static Handled Nothing(long eventId) => new(eventId, []);
}

/// <summary>Sent to the clock's owner when no event is left and none is being handled.</summary>
internal sealed record Drained(double Time, long EventsDelivered);

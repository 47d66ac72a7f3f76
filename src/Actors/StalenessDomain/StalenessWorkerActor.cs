using Akka.Actor;
using DelaySim.Actors.Clock;
using DelaySim.Model.Engine;

namespace DelaySim.Actors.StalenessDomain;

/// <summary>
/// A staleness-domain worker: computes the gradients of the steps it is given and sends them to the server through the
/// clock, to arrive when the step is applied. Computing takes no virtual time; the delay is the planned staleness. It
/// owns no model state.
/// </summary>
internal sealed class StalenessWorkerActor : UntypedActor
{
    readonly Replicate _replicate;

    public StalenessWorkerActor(Replicate replicate)
    {
        _replicate = replicate;
    }

    // A switch, not ReceiveActor's matchers: those are expression trees compiled at start, which the native build can only
    // interpret, on every message (docs/PERFORMANCE.md, fifteenth session).
    protected override void OnReceive(object message)
    {
        if (message is ComputeGradient compute) HandleCompute(compute);
        else Unhandled(message);
    }

    public static Props Props(Replicate replicate) => Produce.Props(() => new StalenessWorkerActor(replicate));

    void HandleCompute(ComputeGradient compute)
    {
        compute.Work.Compute(_replicate, compute.Gradients);
        // Step t is applied at virtual time t + 1, when version t + 1 is born.
        var arrival = new ScheduledEvent(compute.Work.Step + 1, compute.Server, new GradientReady(compute.Work, compute.Gradients));
        compute.Clock.Tell(new Handled(compute.EventId, [arrival], compute.Part, compute.Parts));
    }
}

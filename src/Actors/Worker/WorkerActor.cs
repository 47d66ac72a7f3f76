using Akka.Actor;
using DelaySim.Actors.Clock;
using DelaySim.Model.Engine;
using DelaySim.Model.Problems;

namespace DelaySim.Actors.Worker;

/// <summary>
/// A worker: computes stochastic gradients on the snapshots it is given and sends them to the parameter server through
/// the clock, to arrive when the step is applied. In the staleness domain computing takes no virtual time; the delay
/// is the planned staleness. It owns no model state.
/// </summary>
public sealed class WorkerActor : ReceiveActor
{
    readonly Replicate _replicate;

    public WorkerActor(Replicate replicate)
    {
        _replicate = replicate;
        Receive<ComputeGradient>(HandleCompute);
    }

    public static Props Props(Replicate replicate) => Akka.Actor.Props.Create(() => new WorkerActor(replicate));

    void HandleCompute(ComputeGradient work)
    {
        for (var k = 0; k < work.Gradients.Length; k++)
            _replicate.Problem.BatchGradient(work.Snapshots[k].Span, _replicate.TrainSets[k], work.Batch, work.Gradients[k]);
        // Step t is applied at virtual time t + 1, when version t + 1 is born.
        var arrival = new ScheduledEvent(work.Step + 1, work.Server, new GradientReady(work.Step, work.Version, work.Gradients));
        work.Clock.Tell(new Handled(work.EventId, [arrival], work.Part, work.Parts));
    }
}

using Akka.Actor;
using DelaySim.Model.Engine;

namespace DelaySim.Actors.Monitor;

/// <summary>
/// Gathers the measurements of one replicate: train/test loss, generalization gap and twin distance at checkpoints,
/// staleness counts and the loss form of average stability at the end. It evaluates with the same pure functions as the
/// direct engine, off the parameter server's critical path.
/// </summary>
public sealed class MonitorActor : ReceiveActor
{
    readonly Replicate _replicate;
    readonly int _index;
    readonly IActorRef _reportTo;
    readonly List<Checkpoint> _checkpoints = [];
    readonly List<(long Iteration, double[][] Parameters)> _raw = [];

    public MonitorActor(Replicate replicate, int index, IActorRef reportTo)
    {
        _replicate = replicate;
        _index = index;
        _reportTo = reportTo;
        Receive<CheckpointReached>(c =>
        {
            if (!_replicate.IsPart)
            {
                _checkpoints.Add(Evaluator.Evaluate(_replicate, c.Iteration, Evaluator.AsMemory(c.Parameters)));
                return;
            }
            // A part is evaluated with the other trajectories when they are merged (IndependentTwins).
            _checkpoints.Add(Checkpoint.Unevaluated(c.Iteration));
            _raw.Add((c.Iteration, c.Parameters));
        });
        Receive<RunFinished>(HandleFinished);
    }

    public static Props Props(Replicate replicate, int index, IActorRef reportTo) =>
        Akka.Actor.Props.Create(() => new MonitorActor(replicate, index, reportTo));

    void HandleFinished(RunFinished finished)
    {
        var stability = _replicate.IsPart ? double.NaN : Evaluator.StabilityLoss(_replicate, Evaluator.AsMemory(finished.Parameters));
        var result = new ReplicateResult(_index, _replicate.Seed, _checkpoints.ToArray(), stability, finished.StalenessCounts, finished.Parameters)
        {
            Workers = finished.Workers,
            RawCheckpoints = _replicate.IsPart ? _raw.ToArray() : null,
        };
        _reportTo.Tell(new ReplicateMeasured(result));
    }
}

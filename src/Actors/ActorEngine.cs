using Akka.Actor;
using DelaySim.Actors.Run;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Actors;

/// <summary>
/// Runs replicates on an <see cref="ActorSystem"/>: one <see cref="RunActor"/> per replicate, or, for time-domain twins
/// with independent delays, one per trajectory, merged as the direct engine merges them.
/// </summary>
public static class ActorEngine
{
    static long _runCounter;

    public static Task<ReplicateResult> RunAsync(ActorSystem system, Replicate replicate, int index, TimeSpan timeout, string? dispatcher = null) =>
        IndependentTwins.Run(replicate, index, one => RunOneAsync(system, one, index, timeout, dispatcher));

    static Task<ReplicateResult> RunOneAsync(ActorSystem system, Replicate replicate, int index, TimeSpan timeout, string? dispatcher)
    {
        var name = $"run-{Interlocked.Increment(ref _runCounter)}";
        var props = RunActor.Props(replicate, index);
        var run = system.ActorOf(dispatcher is null ? props : props.WithDispatcher(dispatcher), name);
        return run.Ask<ReplicateResult>(StartRun.Instance, timeout);
    }
}

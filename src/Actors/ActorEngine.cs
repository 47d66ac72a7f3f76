using Akka.Actor;
using DelaySim.Actors.Run;
using DelaySim.Model.Engine;

namespace DelaySim.Actors;

/// <summary>Runs replicates on an <see cref="ActorSystem"/>: one <see cref="RunActor"/> per replicate.</summary>
public static class ActorEngine
{
    static long _runCounter;

    public static Task<ReplicateResult> RunAsync(ActorSystem system, Replicate replicate, int index, TimeSpan timeout, string? dispatcher = null)
    {
        var name = $"run-{Interlocked.Increment(ref _runCounter)}";
        var props = RunActor.Props(replicate, index);
        var run = system.ActorOf(dispatcher is null ? props : props.WithDispatcher(dispatcher), name);
        return run.Ask<ReplicateResult>(StartRun.Instance, timeout);
    }
}

using Akka.Actor;
using DelaySim.Actors.Run;
using DelaySim.Model.Engine;

namespace DelaySim.Actors;

/// <summary>Runs replicates on an <see cref="ActorSystem"/>: one <see cref="RunActor"/> per replicate.</summary>
public static class ActorEngine
{
    static long _runCounter;

    public static Task<ReplicateResult> RunAsync(ActorSystem system, Replicate replicate, int index, TimeSpan timeout)
    {
        var name = $"run-{Interlocked.Increment(ref _runCounter)}";
        var run = system.ActorOf(RunActor.Props(replicate, index), name);
        return run.Ask<ReplicateResult>(StartRun.Instance, timeout);
    }
}

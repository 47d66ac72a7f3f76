using DelaySim.Model.Engine;

namespace DelaySim.Actors.Run;

/// <summary>Ask a <see cref="RunActor"/> to run its replicate; the answer is a <see cref="ReplicateResult"/>.</summary>
internal sealed record StartRun
{
    public static readonly StartRun Instance = new();
}

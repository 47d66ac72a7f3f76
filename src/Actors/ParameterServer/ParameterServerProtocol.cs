namespace DelaySim.Actors.ParameterServer;

/// <summary>The first event of a run, at virtual time 0: version 0 (w_0) exists, start handing out work.</summary>
public sealed record BeginTraining
{
    public static readonly BeginTraining Instance = new();
}

using DelaySim.Model;
using Serilog;

namespace DelaySim.Host.Commands;

/// <summary>Exit codes, and the one place that turns exceptions into them.</summary>
internal static class Exit
{
    public const int Ok = 0;
    /// <summary>A bug or an environment failure: the message and stack trace are logged.</summary>
    public const int Failure = 1;
    /// <summary>Bad input (scenario, data, file): the message names the file and the key or line.</summary>
    public const int BadInput = 2;
    /// <summary>The run finished and its files are valid, but some replicate diverged.</summary>
    public const int Diverged = 3;
    /// <summary><c>verify</c> or <c>compare</c> found a difference.</summary>
    public const int Mismatch = 4;
    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, the shell's convention; System.CommandLine's too).</summary>
    public const int Stopped = 130;

    /// <summary>The bad-input exception behind <paramref name="e"/>, also when an actor or a task wrapped it.</summary>
    static BadInputException? BadInputBehind(Exception e) => e switch
    {
        BadInputException bad => bad,
        AggregateException { InnerExceptions.Count: 1 } a => BadInputBehind(a.InnerExceptions[0]),
        { InnerException: { } inner } => BadInputBehind(inner),
        _ => null,
    };

    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            if (code == BadInput) await Console.Error.WriteLineAsync($"error: {message}");
            return code;
        }
    }

    /// <summary>The exit code of a failure and the message to show; a failure that is not bad input is logged with its stack trace.</summary>
    public static (int Code, string Message) Describe(Exception e)
    {
        if (BadInputBehind(e) is { } bad) return (BadInput, bad.Message);
        Log.Fatal(e, "delaysim failed");
        return (Failure, e.GetBaseException().Message);
    }
}

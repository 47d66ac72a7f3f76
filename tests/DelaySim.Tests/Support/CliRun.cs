using DelaySim.Host;

namespace DelaySim.Tests.Support;

/// <summary>Runs the command line in-process and captures standard error (tests using it belong to the "cli" collection).</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Error)> WithErrors(params string[] args)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            return (await Cli.RunAsync(args), error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    /// <summary>Also captures standard output (the results table).</summary>
    public static async Task<(int Code, string Output, string Error)> WithOutput(params string[] args)
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            var (code, error) = await WithErrors(args);
            return (code, output.ToString(), error);
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}

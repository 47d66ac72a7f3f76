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
}

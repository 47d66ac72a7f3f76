using System.CommandLine;
using DelaySim.Host.Commands;
using Serilog;

namespace DelaySim.Host;

/// <summary>The <c>delaysim</c> command line. Exit codes are listed in <see cref="Exit"/>.</summary>
public static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("DelaySim: what does asynchronous delay do to a model? Deterministic delayed-SGD simulations on Akka.NET.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(DelaysCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        AkkaSetup.ConfigureLogging();
        var code = await Build().Parse(args).InvokeAsync();
        await Log.CloseAndFlushAsync();
        return code;
    }
}

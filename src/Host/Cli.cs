using System.CommandLine;
using DelaySim.Host.Commands;
using Serilog;

namespace DelaySim.Host;

/// <summary>The <c>delaysim</c> command line. Exit codes are listed in <see cref="Exit"/>.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("DelaySim: what does asynchronous delay do to a model? Deterministic delayed-SGD simulations on Akka.NET.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(DelaysCommand.Create());
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(LiveCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // Every number DelaySim prints or plots is invariant, whatever the machine's locale.
        System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        AkkaSetup.ConfigureLogging();
        var root = Build();
        // `delaysim help` and `delaysim help run` are what many users type first.
        if (args is ["help", .. var rest]) args = [.. rest, "--help"];
        if (args is [var first, ..] && !first.StartsWith('-') && root.Subcommands.All(c => c.Name != first))
        {
            await Console.Error.WriteLineAsync($"error: unknown command '{first}' (expected one of: {string.Join(", ", root.Subcommands.Select(c => c.Name))}); see 'delaysim --help'");
            return Exit.BadInput;
        }
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync($"error: {error.Message}");
            await Console.Error.WriteLineAsync("see 'delaysim --help'");
            return Exit.BadInput;
        }
        // Signals are Termination's (see there), not System.CommandLine's.
        var code = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
        await Log.CloseAndFlushAsync();
        return code;
    }
}

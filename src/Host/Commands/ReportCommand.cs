using System.CommandLine;
using DelaySim.Host.Output;

namespace DelaySim.Host.Commands;

/// <summary><c>delaysim report DIR</c>: rebuild a run folder's report.html from its files.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "A run folder written by 'delaysim run'." };
        var command = new Command("report", "Rebuild report.html of a run folder.") { folder };
        command.SetAction((parse, _) => Exit.Guard(() =>
        {
            Console.WriteLine(Report.Write(parse.GetValue(folder)!));
            return Task.FromResult(Exit.Ok);
        }));
        return command;
    }
}

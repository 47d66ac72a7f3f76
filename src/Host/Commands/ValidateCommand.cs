using System.CommandLine;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Commands;

/// <summary><c>delaysim validate FILE</c>: parse, check and load the data of a scenario without running it.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Scenario file (HOCON)." };
        var set = new Option<string[]>("--set") { Description = "Override a scenario key: --set optimizer.eta=0.01 (repeatable)." };
        var command = new Command("validate", "Check a scenario (keys, values, data files) without running it.") { file, set };
        command.SetAction((parse, _) => Exit.Guard(() =>
        {
            var scenario = ScenarioReader.ReadFile(parse.GetValue(file)!, parse.GetValue(set));
            var cells = CellPlan.Build(scenario);
            Console.WriteLine($"ok: {scenario.Name}, {cells.Count} cells × {scenario.Seeds} seeds, scenario hash {RunFolder.Hash(scenario)[..12]}");
            return Task.FromResult(Exit.Ok);
        }));
        return command;
    }
}

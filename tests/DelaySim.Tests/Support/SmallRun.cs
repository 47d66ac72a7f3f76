using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;

namespace DelaySim.Tests.Support;

/// <summary><see cref="Scenarios.Small"/> run through the CLI (direct engine), and its cells read back as the plots see them.</summary>
internal static class SmallRun
{
    public static async Task<(string Folder, IReadOnlyList<CellOutcome> Outcomes)> RunAsync()
    {
        var scenarioFile = Path.Combine(Scenarios.TempFolder(), "small.hocon");
        File.WriteAllText(scenarioFile, Scenarios.Small);
        var folder = Scenarios.TempFolder();
        Assert.Equal(0, await DelaySim.Host.Cli.RunAsync(["run", scenarioFile, "--out", folder, "--engine", "direct"]));
        var scenario = ScenarioReader.Parse(File.ReadAllText(scenarioFile), scenarioFile, Path.GetDirectoryName(scenarioFile)!);
        var store = new CellStore(folder);
        var outcomes = CellPlan.Build(scenario).Select((cell, i) =>
            CellOutcome.Of(new CellRun(i, cell, store.TryLoad(i, cell.Name) ?? throw new InvalidOperationException($"cell {cell.Name} not stored"), TimeSpan.Zero))).ToArray();
        return (folder, outcomes);
    }
}

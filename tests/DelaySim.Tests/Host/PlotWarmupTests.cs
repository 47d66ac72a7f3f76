using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Plots;
using DelaySim.Host.Scenarios;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

[Collection("cli")]
public class PlotWarmupTests
{
    /// <summary>The warm-up draws on another thread before a run's plots: it must leave nothing behind that changes them.</summary>
    [Fact]
    public async Task Plots_drawn_after_the_warm_up_are_the_same_bytes()
    {
        var scenarioFile = Path.Combine(Scenarios.TempFolder(), "small.hocon");
        File.WriteAllText(scenarioFile, Scenarios.Small);
        var folder = Scenarios.TempFolder();
        Assert.Equal(0, await DelaySim.Host.Cli.RunAsync(["run", scenarioFile, "--out", folder, "--engine", "direct"]));
        var scenario = ScenarioReader.Parse(File.ReadAllText(scenarioFile), scenarioFile, Path.GetDirectoryName(scenarioFile)!);
        var store = new CellStore(folder);
        var outcomes = CellPlan.Build(scenario).Select((cell, i) =>
            CellOutcome.Of(new CellRun(i, cell, store.TryLoad(i, cell.Name) ?? throw new InvalidOperationException($"cell {cell.Name} not stored"), TimeSpan.Zero))).ToArray();

        var before = Scenarios.TempFolder();
        var written = RunPlots.Write(before, outcomes);
        PlotWarmup.Draw();
        var after = Scenarios.TempFolder();
        RunPlots.Write(after, outcomes);

        Assert.NotEmpty(written);
        foreach (var png in written)
        {
            Assert.Equal(File.ReadAllBytes(png), File.ReadAllBytes(Path.Combine(after, "plots", Path.GetFileName(png))));
            Assert.Equal(File.ReadAllBytes(png), File.ReadAllBytes(Path.Combine(folder, "plots", Path.GetFileName(png)))); // the run's own
        }
    }
}

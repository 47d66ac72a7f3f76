using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>Every scenario shipped under scenarios/ is valid and its cells build (data files included, where present).</summary>
public class ShippedScenarioTests
{
    static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DelaySim.slnx"))) return dir.FullName;
        throw new InvalidOperationException("project root not found");
    }

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Root(), "scenarios"), "*.hocon", SearchOption.AllDirectories).Order())
            if (!file.Contains($"{Path.DirectorySeparatorChar}delays{Path.DirectorySeparatorChar}")) data.Add(Path.GetRelativePath(Root(), file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_shipped_scenario_validates_and_builds_its_cells(string file)
    {
        var scenario = ScenarioReader.ReadFile(Path.Combine(Root(), file));
        var files = new[] { scenario.Data.Libsvm?.Train, scenario.Data.Libsvm?.Test, scenario.Data.Idx?.Images, scenario.Data.Idx?.Labels, scenario.Data.Idx?.TestImages, scenario.Data.Idx?.TestLabels }
            .OfType<string>().Select(f => Path.GetFullPath(f, scenario.BaseDirectory));
        if (files.Any(f => !File.Exists(f)))
        {
            // Without the datasets the only acceptable failure is the clear "file not found".
            var e = Assert.Throws<BadInputException>(() => CellPlan.Build(scenario));
            Assert.Contains("file not found", e.Message);
            return;
        }
        Assert.NotEmpty(CellPlan.Build(scenario));
    }

    [Fact]
    public void The_delay_catalogue_checks_cleanly() =>
        Assert.Equal(0, DelaySim.Host.Commands.DelaysCommand.Run(Path.Combine(Root(), "scenarios", "delays", "catalogue.hocon"), 2_000, 2, 1, Scenarios.TempFolder()));
}

using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// Every scenario shipped under scenarios/ is valid and its cells build. Scenarios that read data load it for real when
/// ../shared/data is present (a file the shared folder lists must be found); a file it does not list (a user's own copy
/// of rcv1, a Debian dataset package) may be absent, and then the error must say so clearly.
/// </summary>
public class ShippedScenarioTests
{
    static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DelaySim.slnx"))) return dir.FullName;
        throw new InvalidOperationException("project root not found");
    }

    static IEnumerable<string> All() =>
        Directory.GetFiles(Path.Combine(Root(), "scenarios"), "*.hocon", SearchOption.AllDirectories).Order()
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}delays{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}models{Path.DirectorySeparatorChar}")) // delay models, not scenarios
            .Select(f => Path.GetRelativePath(Root(), f));

    static Scenario Read(string file) => ScenarioReader.ReadFile(Path.Combine(Root(), file));

    /// <summary>
    /// A scenario reads files when it has a libsvm or idx data block, or names a file of the shared folder (a measured
    /// delay or compute-time trace); reading checks that they exist, so without ../shared these are skipped.
    /// </summary>
    static bool ReadsData(string file) => File.ReadAllText(Path.Combine(Root(), file)) is var text
        && (System.Text.RegularExpressions.Regex.IsMatch(text, @"^\s*(data\.)?(libsvm|idx)\b", System.Text.RegularExpressions.RegexOptions.Multiline)
            || text.Contains("shared/data/", StringComparison.Ordinal));

    public static TheoryData<string> SelfContained() => new(All().Where(f => !ReadsData(f)));

    public static TheoryData<string> ReadingData() => new(All().Where(ReadsData));

    public static TheoryData<string> Every() => new(All());

    [Theory]
    [MemberData(nameof(Every))]
    public void A_shipped_scenarios_hashed_JSON_is_the_serializers_byte_for_byte(string file)
    {
        Scenario scenario;
        try
        {
            scenario = Read(file);
        }
        catch (BadInputException e) when (e.Message.Contains("not found"))
        {
            return; // data this machine does not have (rcv1, fashion-MNIST; or no ../shared): the others cover the types
        }
        AssertHashedJsonIsTheSerializers(scenario);
    }

    /// <summary>The scenario and each of its sweep points: CanonicalJson writes the serializer's bytes.</summary>
    static void AssertHashedJsonIsTheSerializers(Scenario scenario)
    {
        foreach (var s in new[] { scenario }.Concat(scenario.Variants.Select(v => v.Scenario)))
            Assert.Equal(ScenarioJsonContext.Serialize(s), DelaySim.Host.Output.CanonicalJson.Of(s));
    }

    [Theory]
    [InlineData("\ntimeline = [{ from-step = 100, to-step = 150, tau = 6 }, { from-step = 200, to-step = 210, eta-factor = 0 }]")]
    [InlineData("\nsweep { \"optimizer.eta\" = [0.01, 0.02] }\ncontrasts.baseline { \"optimizer.eta\" = 0.02 }\noutput.cell-names = \"eta={eta} {delay}\"")]
    public void Scenarios_with_timelines_baselines_and_cell_names_hash_the_serializers_JSON(string extra)
    {
        var scenario = Scenarios.Parse(Scenarios.Small + extra);
        AssertHashedJsonIsTheSerializers(scenario);
    }

    [Theory]
    [MemberData(nameof(SelfContained))]
    public void A_shipped_scenario_on_synthetic_data_validates_and_builds_its_cells(string file) =>
        Assert.NotEmpty(CellPlan.Build(Read(file)));

    [DataTheory]
    [MemberData(nameof(ReadingData))]
    public void A_shipped_scenario_on_real_data_loads_it_and_builds_its_cells(string file)
    {
        Scenario scenario;
        try
        {
            scenario = Read(file);
        }
        catch (BadInputException e) when (e.Message.Contains("not found"))
        {
            // Absent here: allowed only for a file the shared folder does not promise, and the message must say which.
            Assert.All(SharedData.Listed(), f => Assert.False(e.Message.Contains(f), $"{file}: {e.Message}, but ../shared/data lists that file"));
            return;
        }
        var cells = CellPlan.Build(scenario);
        Assert.NotEmpty(cells);
        Assert.All(cells, c => Assert.True(c.TrainCount > 0, $"{c.Name}: no training rows"));
    }

    [Fact]
    public void The_fitted_models_shipped_with_the_real_scenarios_read_as_delay_models()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Root(), "scenarios", "real", "models"), "*.hocon"))
            Assert.Equal(0, DelaySim.Host.Commands.DelaysCommand.Run(file, 2_000, 10, 1, null));
    }

    [Fact]
    public void The_delays_of_a_swept_time_scenario_are_checked_at_every_point() =>
        Assert.Equal(0, DelaySim.Host.Commands.DelaysCommand.Run(Path.Combine(Root(), "scenarios", "paper", "stragglers.hocon"), 2_000, null, 1, null));

    [Fact]
    public void The_delay_catalogue_checks_cleanly() =>
        Assert.Equal(0, DelaySim.Host.Commands.DelaysCommand.Run(Path.Combine(Root(), "scenarios", "delays", "catalogue.hocon"), 2_000, 2, 1, Scenarios.TempFolder()));
}

using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

[Collection("cli")]
public class VerifyAndCompareTests
{
    static async Task<(string Scenario, string Folder)> Run(params string[] extra)
    {
        var scenario = Path.Combine(Scenarios.TempFolder(), "small.hocon");
        File.WriteAllText(scenario, Scenarios.Small);
        var folder = Scenarios.TempFolder();
        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", folder, "--engine", "direct", .. extra]));
        return (scenario, folder);
    }

    [Fact]
    public async Task Verify_reruns_a_finished_run_and_finds_every_file_identical()
    {
        var (_, folder) = await Run("--set", "optimizer.eta=0.04", "--seed", "21");
        Assert.Contains("seed = 21", File.ReadAllText(Path.Combine(folder, "scenario.hocon")));
        Assert.Equal(0, await Cli.RunAsync(["verify", folder]));
        Assert.Equal(0, await Cli.RunAsync(["verify", folder, "--sample", "2", "--engine", "direct"]));
    }

    [Fact]
    public async Task Verify_notices_a_tampered_file()
    {
        var (_, folder) = await Run();
        var metrics = Path.Combine(folder, "metrics.csv");
        File.WriteAllText(metrics, File.ReadAllText(metrics).Edit("0.0", "0.1"));
        Assert.Equal(4, await Cli.RunAsync(["verify", folder]));
    }

    [Fact]
    public async Task Compare_is_quiet_for_identical_runs_and_lists_what_differs_otherwise()
    {
        var (scenario, a) = await Run();
        var b = Scenarios.TempFolder();
        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", b]));
        Assert.Equal(0, await Cli.RunAsync(["compare", a, b]));
        var c = Scenarios.TempFolder();
        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", c, "--seed", "5"]));
        Assert.Equal(4, await Cli.RunAsync(["compare", a, c]));
        Assert.Equal(0, await Cli.RunAsync(["compare", a, c, "--tolerance", "1e300"]));
        Assert.Equal(2, await Cli.RunAsync(["compare", a, Scenarios.TempFolder()]));
    }
}

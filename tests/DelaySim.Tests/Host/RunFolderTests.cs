using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>End-to-end runs through the command line (one collection: they share the console and the logger).</summary>
[Collection("cli")]
public class RunFolderTests
{
    static async Task<string> Run(string scenarioFile, string engine, params string[] extra)
    {
        var folder = Scenarios.TempFolder();
        var code = await Cli.RunAsync(["run", scenarioFile, "--out", folder, "--engine", engine, .. extra]);
        Assert.Equal(0, code);
        return folder;
    }

    static string WriteSmall()
    {
        var path = Path.Combine(Scenarios.TempFolder(), "small.hocon");
        File.WriteAllText(path, Scenarios.Small);
        return path;
    }

    [Fact]
    public async Task Same_seed_twice_gives_byte_identical_results_and_both_engines_agree()
    {
        var file = WriteSmall();
        var first = await Run(file, "actors");
        var second = await Run(file, "actors", "--jobs", "1");
        var direct = await Run(file, "direct");
        foreach (var name in new[] { "summary.csv", "metrics.csv" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(first, name));
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(second, name)));
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(direct, name)));
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "manifest.json")), File.ReadAllBytes(Path.Combine(second, "manifest.json")));
    }

    [Fact]
    public async Task The_run_folder_has_the_documented_files_and_columns()
    {
        var folder = await Run(WriteSmall(), "direct", "--seed", "99");
        var summary = File.ReadAllLines(Path.Combine(folder, "summary.csv"));
        foreach (var column in "tau,n,eta,iterations,seeds,train_loss,test_loss,gen_gap,gen_gap_sd,stability_l2,stability_loss".Split(','))
            Assert.Contains(column, summary[0].Split(','));
        Assert.Equal(1 + 3, summary.Length); // header + τ ∈ {0, 3, 7}
        var metrics = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        Assert.Equal(1 + 3 * 2 * 7, metrics.Length); // 3 cells × 2 seeds × checkpoints {0, 50, …, 300}
        var manifest = File.ReadAllText(Path.Combine(folder, "manifest.json"));
        Assert.Contains("\"master-seed\": 99", manifest);
        Assert.Contains("\"engine\": \"direct\"", manifest);
        Assert.Contains("\"scenario-hash\"", manifest);
        Assert.True(File.Exists(Path.Combine(folder, "timings.json")));
        Assert.DoesNotContain(DateTime.UtcNow.Year.ToString(), File.ReadAllText(Path.Combine(folder, "summary.csv")) + manifest);
    }

    [Fact]
    public async Task A_different_seed_changes_the_results()
    {
        var file = WriteSmall();
        var a = await Run(file, "direct", "--seed", "1");
        var b = await Run(file, "direct", "--seed", "2");
        Assert.NotEqual(File.ReadAllText(Path.Combine(a, "summary.csv")), File.ReadAllText(Path.Combine(b, "summary.csv")));
    }

    [Fact]
    public async Task A_folder_holding_another_scenario_is_refused_with_exit_code_2()
    {
        var file = WriteSmall();
        var folder = await Run(file, "direct");
        var code = await Cli.RunAsync(["run", file, "--out", folder, "--seed", "12345"]);
        Assert.Equal(2, code);
    }
}

using System.Diagnostics;
using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

[Collection("cli")]
public class ResumeTests
{
    // Six cells of about half a second each with one job, so a kill lands in the middle of the run.
    const string Slow = """
        name = resume
        seed = 4
        seeds = 2
        problem.kind = least-squares
        data.synthetic { n = 200, n-test = 2000, dimension = 256, spectrum-decay = 1 }
        optimizer { eta = 0.02, iterations = 30000, batch = 2 }
        delay { kind = uniform, tau = [0, 2, 4, 8, 16, 32] }
        stability.twins = 4
        output.checkpoint-every = 1000
        """;

    static readonly string[] ResultFiles = ["summary.csv", "metrics.csv", "staleness.csv", "staleness_histogram.csv", "manifest.json"];

    [Fact]
    public async Task A_run_killed_mid_way_resumes_and_ends_with_the_files_of_an_uninterrupted_run()
    {
        var scenario = Path.Combine(Scenarios.TempFolder(), "slow.hocon");
        File.WriteAllText(scenario, Slow);
        var reference = Scenarios.TempFolder();
        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", reference, "--engine", "direct", "--jobs", "1"]));

        var interrupted = Scenarios.TempFolder();
        var cells = Path.Combine(interrupted, "cells");
        using (var process = Process.Start(new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "delaysim"),
                   ["run", scenario, "--out", interrupted, "--engine", "direct", "--jobs", "1"]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            var watch = Stopwatch.StartNew();
            while (!(Directory.Exists(cells) && Directory.GetFiles(cells, "*.json").Length >= 1) && !process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(2))
                await Task.Delay(1);
            Assert.False(process.HasExited, "the run finished before it could be killed; make the scenario slower");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var finishedBeforeKill = Directory.GetFiles(cells, "*.json").Length;
        Assert.InRange(finishedBeforeKill, 1, 5);
        Assert.False(File.Exists(Path.Combine(interrupted, "summary.csv")), "a killed run must not have written its summary");

        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", interrupted, "--engine", "actors"]));
        foreach (var name in ResultFiles.Where(f => f != "manifest.json"))
            Assert.Equal(File.ReadAllBytes(Path.Combine(reference, name)), File.ReadAllBytes(Path.Combine(interrupted, name)));
        Assert.Contains("\"resumed\": true", File.ReadAllText(Path.Combine(interrupted, "timings.json")));
        Assert.Empty(Directory.GetFiles(interrupted, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Parallel_and_serial_runs_write_the_same_files()
    {
        var scenario = Path.Combine(Scenarios.TempFolder(), "small.hocon");
        File.WriteAllText(scenario, Scenarios.Small);
        var serial = Scenarios.TempFolder();
        var parallel = Scenarios.TempFolder();
        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", serial, "--jobs", "1"]));
        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", parallel, "--jobs", "4"]));
        foreach (var name in ResultFiles)
            Assert.Equal(File.ReadAllBytes(Path.Combine(serial, name)), File.ReadAllBytes(Path.Combine(parallel, name)));
    }
}

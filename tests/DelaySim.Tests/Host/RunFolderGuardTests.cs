using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// DelaySim writes only into a new folder, an empty one, or one holding its own earlier run of the same scenario; a
/// folder that holds anything else is exit 2 and left byte for byte as it was; --force deletes only a run's files.
/// </summary>
[Collection("cli")]
public class RunFolderGuardTests
{
    static string Scenario(string folder)
    {
        var file = Path.Combine(folder, "s.hocon");
        File.WriteAllText(file, Scenarios.Small.Edit("iterations = 300", "iterations = 20").Edit("tau = [0, 3, 7]", "tau = [1]"));
        return file;
    }

    static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllText);

    [Fact]
    public async Task Another_tools_files_are_never_overwritten_and_force_replaces_only_a_runs_files()
    {
        var root = Scenarios.TempFolder();
        var file = Scenario(root);
        var folder = Path.Combine(root, "out");
        Directory.CreateDirectory(Path.Combine(folder, "cells"));
        File.WriteAllText(Path.Combine(folder, "summary.csv"), "someone else's results");
        File.WriteAllText(Path.Combine(folder, "summary.csv.tmp"), "half-written by someone else");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var before = Snapshot(folder);

        var (code, error) = await CliRun.WithErrors("run", file, "--out", folder);
        Assert.Equal(2, code);
        Assert.Contains("is not empty and has no DelaySim manifest (it holds cells, notes.txt, summary.csv, summary.csv.tmp)", error);
        Assert.Contains("--force", error);
        Assert.Equal(before, Snapshot(folder));

        // --force starts over only a DelaySim folder: one without a manifest may be anyone's.
        var forced = await CliRun.WithErrors("run", file, "--out", folder, "--force");
        Assert.Equal(2, forced.Code);
        Assert.Contains("--force starts over only a DelaySim run folder", forced.Error);
        Assert.Equal(before, Snapshot(folder));

        // Another scenario's run, with a file of the user's beside it: --force replaces the run and keeps the file.
        var other = Path.Combine(root, "other");
        var otherFile = Path.Combine(root, "o.hocon");
        File.WriteAllText(otherFile, File.ReadAllText(file).Replace("seeds = 2", "seeds = 1"));
        Assert.Equal(0, (await CliRun.WithErrors("run", otherFile, "--out", other)).Code);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "mine");
        Assert.Equal(2, (await CliRun.WithErrors("run", file, "--out", other)).Code);
        Assert.Equal(0, (await CliRun.WithErrors("run", file, "--out", other, "--force")).Code);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(other, "notes.txt")));
        Assert.Contains(",2,", File.ReadAllText(Path.Combine(other, "summary.csv")));
        // Its own folder now: a rerun resumes without --force.
        Assert.Equal(0, (await CliRun.WithErrors("run", file, "--out", other)).Code);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"scenario-hash\": 12}")]
    [InlineData("DIRECTORY")]
    public async Task A_damaged_manifest_is_reported_and_left_alone(string manifest)
    {
        var root = Scenarios.TempFolder();
        var file = Scenario(root);
        var folder = Path.Combine(root, "out");
        Directory.CreateDirectory(folder);
        if (manifest == "DIRECTORY") Directory.CreateDirectory(Path.Combine(folder, "manifest.json"));
        else File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest);
        var before = Snapshot(folder);
        var (code, error) = await CliRun.WithErrors("run", file, "--out", folder);
        Assert.Equal(2, code);
        Assert.Contains("manifest.json", error);
        Assert.Equal(before, Snapshot(folder));
    }

    [Fact]
    public async Task A_damaged_cell_file_or_manifest_of_a_finished_run_is_named_by_resume_verify_and_report()
    {
        var root = Scenarios.TempFolder();
        var file = Scenario(root);
        var folder = Path.Combine(root, "out");
        Assert.Equal(0, (await CliRun.WithErrors("run", file, "--out", folder)).Code);
        var cell = Directory.GetFiles(Path.Combine(folder, "cells"))[0];
        File.WriteAllText(cell, "garbage");
        var (code, error) = await CliRun.WithErrors("run", file, "--out", folder);
        Assert.Equal(2, code);
        Assert.Contains($"{cell}: unreadable cell results", error);
        Assert.Equal("garbage", File.ReadAllText(cell));

        File.WriteAllText(Path.Combine(folder, "manifest.json"), "{");
        foreach (var command in new[] { "verify", "report" })
        {
            var result = await CliRun.WithErrors(command, folder);
            Assert.Equal(2, result.Code);
            Assert.Contains("manifest.json: unreadable", result.Error);
        }
    }

    [Fact]
    public async Task An_out_path_that_cannot_be_a_folder_is_one_line_of_exit_2()
    {
        var root = Scenarios.TempFolder();
        var file = Scenario(root);
        var regular = Path.Combine(root, "a-file");
        File.WriteAllText(regular, "x");
        foreach (var (path, message) in new[]
                 {
                     (regular, "is a file"),
                     ("", "expected a folder path"),
                     (Path.Combine(root, new string('a', 300)), "--out"),
                     (Path.Combine(regular, "sub"), "cannot write there"),
                 })
        {
            var (code, error) = await CliRun.WithErrors("run", file, "--out", path);
            Assert.Equal(2, code);
            Assert.Contains(message, error);
            Assert.DoesNotContain("   at ", error);
        }
    }
}

using System.Diagnostics;
using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// The shipped binary is compiled ahead of time (ReadyToRun, for x86-64-v3 where the machine has it) except the model's
/// kernels, which the JIT compiles for the CPU at hand; the tests themselves run the model as JIT-compiled IL. Both must
/// write the same bytes: this runs the Release build of src/Host as a process and compares it with a run in this one.
/// </summary>
[Collection("cli")]
public class PrecompiledBuildTests
{
    static readonly string Root = FindRoot();
    static readonly string Binary = Path.Combine(Root, "src", "Host", "bin", "Release", "net10.0", "delaysim");

    static string FindRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "DelaySim.slnx"))) root = Path.GetDirectoryName(root)!;
        return root;
    }

    /// <summary>Skipped, with the reason, in a Debug test run (a Release binary there may predate the code) or without one.</summary>
    public sealed class ReleaseBuildTheoryAttribute : TheoryAttribute
    {
        public ReleaseBuildTheoryAttribute()
        {
#if DEBUG
            Skip = "a Debug test run: the Release binary of src/Host, if any, may be older than this code (dotnet test -c Release)";
#else
            if (!File.Exists(Binary)) Skip = $"needs the Release build of src/Host ({Binary}): dotnet build -c Release";
#endif
        }
    }

    [ReleaseBuildTheory]
    [InlineData("scenarios/default.hocon")]            // least squares, staleness domain, 8-row evaluation lanes
    [InlineData("scenarios/time/rack-congestion.hocon")] // time domain, correlated delays
    [InlineData("scenarios/rules/equivalent-plain-eta.hocon")] // momentum and delay-compensated rules
    public async Task The_precompiled_binary_writes_the_bytes_of_the_JIT_compiled_model(string scenario)
    {
        var file = Path.Combine(Root, scenario);
        var inProcess = Scenarios.TempFolder();
        Assert.Equal(0, await Cli.RunAsync(["run", file, "--out", inProcess, "--engine", "direct"]));

        var binary = Scenarios.TempFolder();
        using (var process = Process.Start(new ProcessStartInfo(Binary, ["run", file, "--out", binary, "--engine", "direct"])
                   { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{Binary} exited with {process.ExitCode}:\n{await errors}");
            await output;
        }

        // Everything but the files that record the machine's timing or are images.
        static bool Deterministic(string path) => Path.GetFileName(path) is not ("timings.json" or "report.html" or "run.log")
                                                  && Path.GetExtension(path) is not (".png" or ".svg");
        var files = Directory.GetFiles(inProcess, "*", SearchOption.AllDirectories).Where(Deterministic)
            .Select(path => Path.GetRelativePath(inProcess, path)).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains("summary.csv", files);
        Assert.Equal(files, Directory.GetFiles(binary, "*", SearchOption.AllDirectories).Where(Deterministic)
            .Select(path => Path.GetRelativePath(binary, path)).Order(StringComparer.Ordinal).ToArray());
        foreach (var name in files)
            Assert.True(File.ReadAllBytes(Path.Combine(inProcess, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(binary, name))),
                $"{name} differs between the precompiled binary and the JIT-compiled model");
    }
}

using DelaySim.Host.Live;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>What `delaysim live`, a replay and the tools that read live folders refuse, before anything joins a cluster.</summary>
[Collection("cli")]
public sealed class LiveInputTests
{
    const string Live = """
        name = live-input
        seed = 3
        problem.kind = least-squares
        data.synthetic { n = 64, n-test = 100, dimension = 8 }
        optimizer { eta = 0.05, iterations = 100, batch = 2 }
        simulation.domain = time
        simulation.time {
          workers = 2
          compute { distribution = exponential, mean = 0.001 }
          uplink { distribution = constant, value = 0.001 }
        }
        live { inject = [uplink] }
        """;

    static string Write(string text, string name = "s.hocon")
    {
        var path = Path.Combine(Scenarios.TempFolder(), name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("simulation.time {", "simulation.time { apply = sum-per-tick\n", "simulation.time.apply")]
    [InlineData("iterations = 100", "epochs = 2", "optimizer.iterations")]
    [InlineData("batch = 2 }", "batch = 2, rule { kind = buffered, size = 2 } }", "optimizer.rule.kind")]
    [InlineData("batch = 2 }", "batch = 2, rule { kind = bounded-staleness, max = 2 } }", "optimizer.rule.kind")]
    [InlineData("name = live-input", "name = live-input\nsweep { \"optimizer.eta\" = [0.01, 0.02] }", "sweep")]
    [InlineData("inject = [uplink]", "inject = [uplink, uplink]", "live.inject")]
    [InlineData("inject = [uplink]", "inject = [network]", "live.inject")]
    [InlineData("live { inject", "live { max-wall = -1, inject", "live.max-wall")]
    [InlineData("live { inject", "live { time-scale = 0, inject", "live.time-scale")]
    public async Task A_scenario_that_cannot_run_live_is_exit_2_naming_the_key(string find, string replace, string key)
    {
        var (code, error) = await CliRun.WithErrors("live", Write(Live.Edit(find, replace)), "--cluster", "akka.tcp://delaysim@127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains(key, error);
    }

    [Fact]
    public async Task A_live_block_outside_the_time_domain_is_exit_2()
    {
        var text = Scenarios.Small + "\nlive { inject = [] }\n";
        var (code, error) = await CliRun.WithErrors("run", Write(text), "--out", Scenarios.TempFolder());
        Assert.Equal(2, code);
        Assert.Contains("live: needs simulation.domain = time", error);
    }

    /// <summary>A recording written by the live server's own writer, for the replay and fit tests (no cluster needed).</summary>
    static string Recording(int steps, int batch = 2)
    {
        var folder = Scenarios.TempFolder();
        using var trace = new TraceWriter(folder);
        var t = 100.0;
        for (var s = 0; s < steps; s++, t += 0.01)
            trace.Write(new TraceRow("applied", s, s % 2, Math.Max(0, s - 1), Enumerable.Range(s, batch).Select(i => i % 64).ToArray(), "h:1",
                t, t + 0.001, t + 0.002, t + 0.003 + 0.001 * (s % 3), t + 0.005, t + 0.006, 0, 0, 0.002));
        return Path.Combine(folder, TraceWriter.FileName);
    }

    static string Replay(string trace) => $$"""
        seed = 3
        problem.kind = least-squares
        data.synthetic { n = 64, n-test = 100, dimension = 8 }
        optimizer { eta = 0.05, iterations = 50, batch = 2 }
        delay { kind = replay, file = "{{trace}}" }
        stability.twins = 2
        output.checkpoint-every = 10
        """;

    [Fact]
    public async Task A_replay_runs_on_a_recording_and_a_mismatched_one_is_exit_2_naming_the_key()
    {
        var trace = Recording(50);
        Assert.Equal(0, (await CliRun.WithErrors("run", Write(Replay(trace)), "--out", Scenarios.TempFolder())).Code);
        foreach (var (find, replace, expected) in new[]
        {
            ("iterations = 50", "iterations = 51", "set optimizer.iterations to at most 50"),
            ("batch = 2", "batch = 3", "set optimizer.batch = 2"),
            ("n = 64", "n = 32", "uses example 50, but the training set has 32 examples"),
            ("stability.twins = 2", "stability { twins = 2, twin-delays = independent }", "stability.twin-delays"),
        })
        {
            var (code, error) = await CliRun.WithErrors("run", Write(Replay(trace).Edit(find, replace)), "--out", Scenarios.TempFolder());
            Assert.Equal(2, code);
            Assert.Contains(expected, error);
        }
    }

    [Fact]
    public async Task Fit_reads_a_live_trace_and_derives_the_delay_it_is_asked_for()
    {
        var trace = Recording(300);
        var (code, error) = await CliRun.WithErrors("fit", trace, "--value", "round-trip", "--max-ar", "0");
        Assert.True(code == 0, error);
        (code, error) = await CliRun.WithErrors("fit", trace, "--value", "latency");
        Assert.Equal(2, code);
        Assert.Contains("--value latency: a live trace gives compute", error);
        (code, error) = await CliRun.WithErrors("fit", trace, "--value", "uplink");
        Assert.Equal(2, code);
        Assert.Contains("clocks.csv", error); // uplink mixes two clocks: without the offsets it is refused, not guessed
        var streams = LiveTrace.Streams(trace, "compute");
        Assert.Equal([0, 1], streams.Keys.Order());
        Assert.All(streams[0], v => Assert.InRange(v, 0.002 - 1e-9, 0.004 + 1e-9)); // compute_end − pull: 2, 3 or 4 ms
        Assert.Equal(0.006, LiveTrace.Streams(trace, "round-trip")[1][0], 9);
    }

    [Fact]
    public async Task A_live_folder_is_never_overwritten_nor_verified_as_a_simulation()
    {
        var trace = Recording(10);
        var folder = Path.GetDirectoryName(trace)!;
        File.WriteAllText(Path.Combine(folder, "manifest.json"), "{ \"engine\": \"live\", \"scenario-hash\": \"x\" }");
        File.WriteAllText(Path.Combine(folder, "scenario.hocon"), Live);
        File.WriteAllText(Path.Combine(folder, "source.json"), "{ \"origin\": \"s.hocon\", \"base-directory\": \".\" }");
        var before = File.ReadAllBytes(trace);
        var (code, error) = await CliRun.WithErrors("run", Write(Live), "--out", folder, "--force");
        Assert.Equal(2, code);
        Assert.Contains("not even with --force", error);
        (code, error) = await CliRun.WithErrors("verify", folder);
        Assert.Equal(2, code);
        Assert.Contains("replay.hocon", error);
        Assert.Equal(before, File.ReadAllBytes(trace));
    }
}

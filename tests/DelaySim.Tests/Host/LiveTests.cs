using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// `delaysim live` for real: a coordinator (in this process) and two `delaysim node` processes on loopback, workers
/// spread over the nodes, uplink delays from a NetEm-style spec slept on top of the network; then the recording replayed.
/// </summary>
[Collection("cli")]
public sealed class LiveTests : IDisposable
{
    readonly NodeProcesses _nodes = new();

    public void Dispose() => _nodes.Dispose();

    static string Scenario(int workers, int iterations) => $$"""
        name = live-test
        seed = 3
        problem.kind = least-squares
        data.synthetic { n = 256, n-test = 500, dimension = 22, noise = 0.5, spectrum-decay = 1, spectrum-scale = 0.2 }
        optimizer { eta = 0.05, iterations = {{iterations}}, batch = 2 }
        simulation.domain = time
        simulation.time {
          workers = {{workers}}
          compute { distribution = exponential, mean = 0.0005 }
          uplink { netem = "2ms 1ms" }
        }
        output.checkpoint-every = 100
        live { inject = [compute, uplink], max-wall = 120 }
        """;

    async Task<(string Seed, System.Diagnostics.Process First, System.Diagnostics.Process Second)> TwoNodes()
    {
        var seedPort = Ports.Free();
        var first = await _nodes.Start(seedPort, seedPort);
        var second = await _nodes.Start(Ports.Free(), seedPort);
        return ($"akka.tcp://delaysim@127.0.0.1:{seedPort}", first, second);
    }

    /// <summary>The scenario written to a file, and a new folder for the live run.</summary>
    static (string File, string Folder) Files(string scenario)
    {
        var file = Path.Combine(Scenarios.TempFolder(), "live.hocon");
        File.WriteAllText(file, scenario);
        return (file, Path.Combine(Scenarios.TempFolder(), "live"));
    }

    static string[] Rows(string file) => File.ReadAllLines(file).Skip(1).ToArray();

    /// <summary>The replay's metrics rows for trajectory 0 (cell and replicate left out; twin columns dropped) against the live run's.</summary>
    static void AssertReplayMatches(string live)
    {
        var replay = Scenarios.TempFolder();
        var (code, error) = CliRun.WithErrors("run", Path.Combine(live, "replay.hocon"), "--out", replay).GetAwaiter().GetResult();
        Assert.True(code == 0, error);
        static string[] Losses(string folder) => Rows(Path.Combine(folder, "metrics.csv")).Select(r => string.Join(',', r.Split(',')[2..7])).ToArray();
        Assert.Equal(Losses(live), Losses(replay));

        // The parameters' hash at every checkpoint, from the replay's own server.
        var scenario = ScenarioReader.ReadFile(Path.Combine(live, "replay.hocon"));
        var cell = CellPlan.Build(scenario)[0];
        Assert.IsType<ReplayStaleness>(cell.Spec.Staleness);
        var replicate = Replicate.Prepare(cell.Spec, DelaySim.Model.Randomness.Streams.Replicate(scenario.Seed, 0));
        var hashes = ReplayHashes.Of(replicate).Select(h => $"{h.Iteration},{h.Hash}");
        Assert.Equal(Rows(Path.Combine(live, "checkpoints.csv")), hashes);
    }

    [Fact]
    public async Task A_live_run_on_two_nodes_records_every_gradient_and_its_replay_matches_it_bit_for_bit()
    {
        var (seed, first, second) = await TwoNodes();
        var (file, folder) = Files(Scenario(workers: 4, iterations: 600));
        var (code, error) = await CliRun.WithErrors("live", file, "--cluster", seed, "--nodes", "2", "--out", folder);
        Assert.True(code == 0, $"{error}\nnode logs:\n{_nodes.Log(first)}\n{_nodes.Log(second)}");

        var trace = Rows(Path.Combine(folder, "trace.csv"));
        Assert.Equal(600, trace.Length);
        Assert.All(trace, r => Assert.StartsWith("applied,", r));
        Assert.Equal(2, trace.Select(r => r.Split(',')[5]).Distinct().Count()); // workers on both nodes
        Assert.Contains(trace, r => long.Parse(r.Split(',')[1]) - long.Parse(r.Split(',')[3]) >= 2); // real staleness
        var manifest = File.ReadAllText(Path.Combine(folder, "manifest.json"));
        Assert.Contains("\"engine\": \"live\"", manifest);
        Assert.Contains("\"clock-offsets\"", manifest);
        AssertReplayMatches(folder);

        // Declared vs realised injected uplink delay (NetEm "2ms 1ms": mean 2 ms), pooled over the workers. A sleep never
        // ends early, and on a loaded 2-core machine it ends late by the scheduler's jitter: allow 15 % below (the
        // sample mean's noise over ~600 draws is ~2 %) and 2 ms above.
        var uplink = Rows(Path.Combine(folder, "measured-delays.csv")).Select(r => r.Split(',')).Where(f => f[2] == "uplink-injected").ToArray();
        Assert.Equal(4, uplink.Length);
        var mean = uplink.Sum(f => double.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture) * int.Parse(f[3])) / uplink.Sum(f => int.Parse(f[3]));
        Assert.InRange(mean, 0.85 * 0.002, 0.002 + 0.002);
    }

    [Fact]
    public async Task A_node_killed_mid_run_loses_its_workers_to_the_other_node_and_the_replay_still_matches()
    {
        var (seed, first, second) = await TwoNodes();
        var (file, folder) = Files(Scenario(workers: 4, iterations: 6000));
        var started = _nodes.WhenLogged(second, "Live workers [");
        var run = CliRun.WithErrors("live", file, "--cluster", seed, "--nodes", "2", "--out", folder);
        Assert.True(await Task.WhenAny(started, Task.Delay(TimeSpan.FromMinutes(1))) == started, _nodes.Log(second));
        await Task.Delay(TimeSpan.FromSeconds(2));
        second.Kill(entireProcessTree: true);
        var (code, error) = await run;
        Assert.True(code == 0, $"{error}\nnode log:\n{_nodes.Log(first)}");

        var trace = Rows(Path.Combine(folder, "trace.csv"));
        Assert.Equal(6000, trace.Count(r => r.StartsWith("applied,")));
        Assert.Equal(2, trace.Count(r => r.StartsWith("lost,"))); // workers 1 and 3 were on the killed node
        Assert.Contains("\"incarnation\": 1", File.ReadAllText(Path.Combine(folder, "manifest.json")));
        AssertReplayMatches(folder);
    }

    [Fact]
    public async Task A_coordinator_killed_mid_run_leaves_a_trace_that_replays_to_its_last_complete_row()
    {
        var (seed, first, second) = await TwoNodes();
        var (file, folder) = Files(Scenario(workers: 4, iterations: 100_000));
        var started = _nodes.WhenLogged(second, "Live workers [");
        var stopped = _nodes.WhenLogged(second, "Live workers of");
        using var coordinator = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "delaysim"),
            ["live", file, "--cluster", seed, "--nodes", "2", "--out", folder]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        coordinator.BeginErrorReadLine();
        coordinator.BeginOutputReadLine();
        Assert.True(await Task.WhenAny(started, Task.Delay(TimeSpan.FromMinutes(1))) == started, _nodes.Log(second));
        await Task.Delay(TimeSpan.FromSeconds(2));
        coordinator.Kill(entireProcessTree: true);
        await coordinator.WaitForExitAsync();

        var applied = File.ReadAllLines(Path.Combine(folder, "trace.csv")).Count(l => l.StartsWith("applied,") && l.Split(',').Length == 15);
        Assert.InRange(applied, 10, 99_999);
        var replay = Path.Combine(folder, "replay.hocon");
        var (code, error) = await CliRun.WithErrors("run", replay, "--out", Scenarios.TempFolder());
        Assert.Equal(2, code);
        Assert.Contains($"at most {applied}", error);
        (code, error) = await CliRun.WithErrors("run", replay, "--set", $"optimizer.iterations={applied}", "--out", Scenarios.TempFolder());
        Assert.True(code == 0, error);
        // The nodes stop the workers of a coordinator that is gone.
        Assert.True(await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(60))) == stopped, _nodes.Log(second));
    }

    [Fact]
    public async Task A_run_stopped_by_max_wall_between_checkpoints_ends_with_a_checkpoint_its_replay_matches()
    {
        var (seed, first, second) = await TwoNodes();
        var (file, folder) = Files(Scenario(workers: 4, iterations: 1_000_000).Edit("max-wall = 120", "max-wall = 2"));
        var (code, error) = await CliRun.WithErrors("live", file, "--cluster", seed, "--nodes", "2", "--out", folder);
        Assert.True(code == 0, $"{error}\nnode logs:\n{_nodes.Log(first)}\n{_nodes.Log(second)}");
        Assert.Contains("\"stopped\": \"max-wall\"", File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var applied = Rows(Path.Combine(folder, "trace.csv")).Length;
        Assert.Equal(applied.ToString(), Rows(Path.Combine(folder, "checkpoints.csv"))[^1].Split(',')[0]);
        Assert.True(File.Exists(Path.Combine(folder, "clocks.csv")));
        AssertReplayMatches(folder);
    }
}

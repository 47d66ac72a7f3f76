using System.Diagnostics;
using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>Real multi-process clusters on loopback: runner nodes are separate `delaysim node` processes.</summary>
[Collection("cli")]
public sealed class ClusterTests : IDisposable
{
    readonly NodeProcesses _nodes = new();

    /// <summary>Completes when the node logs that it started a cell.</summary>
    readonly Dictionary<Process, Task> _working = [];

    async Task<Process> StartNode(int port, int seedPort, params string[] options)
    {
        var node = await _nodes.Start(port, seedPort, options);
        _working[node] = _nodes.WhenLogged(node, "Running cell");
        return node;
    }

    const string Sweep = """
        name = cluster
        seed = 8
        seeds = 3
        problem.kind = least-squares
        data.synthetic { n = 100, n-test = 1000, dimension = 128, spectrum-decay = 1 }
        optimizer { eta = 0.02, iterations = 40000 }
        delay { kind = uniform, tau = [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48] }
        stability.twins = 3
        output.checkpoint-every = 1000
        """;

    static readonly string[] Files = ["summary.csv", "metrics.csv", "staleness.csv", "staleness_histogram.csv", "manifest.json"];

    /// <summary>The results files and every cell's file: a cell run in parts on two nodes is stored as a local run stores it.</summary>
    static void AssertSameFiles(string reference, string folder)
    {
        var cells = Directory.GetFiles(Path.Combine(reference, "cells")).Select(f => Path.Combine("cells", Path.GetFileName(f))).ToArray();
        Assert.NotEmpty(cells);
        foreach (var name in Files.Concat(cells))
            Assert.Equal(File.ReadAllBytes(Path.Combine(reference, name)), File.ReadAllBytes(Path.Combine(folder, name)));
    }

    static string ScenarioFile(string text)
    {
        var path = Path.Combine(Scenarios.TempFolder(), "scenario.hocon");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A `delaysim` process (a coordinator or a client), killed when the test ends; its standard error into <paramref name="errors"/>.</summary>
    Process StartClient(System.Text.StringBuilder? errors, params string[] args)
    {
        var process = Process.Start(new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "delaysim"), args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _nodes.Track(process);
        if (errors is not null) process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    static async Task<string> LocalReference(string scenario)
    {
        var folder = Scenarios.TempFolder();
        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", folder]));
        return folder;
    }

    [Fact]
    public async Task A_three_node_cluster_writes_the_files_of_a_single_process_run_even_when_a_runner_is_killed()
    {
        var scenario = ScenarioFile(Sweep);
        var reference = await LocalReference(scenario);

        var seedPort = Ports.Free();
        var first = await StartNode(seedPort, seedPort);
        var second = await StartNode(Ports.Free(), seedPort);
        var folder = Scenarios.TempFolder();
        var run = CliRun.WithErrors("run", scenario, "--out", folder, "--cluster", $"akka.tcp://delaysim@127.0.0.1:{seedPort}");

        // Kill the first runner process that starts a cell, the moment it does: that cell must go to another runner.
        var started = await Task.WhenAny(_working[first], _working[second], Task.Delay(TimeSpan.FromMinutes(2)));
        var victim = started == _working[first] ? first : started == _working[second] ? second : null;
        Assert.True(victim is not null, $"no runner node got a cell; run completed: {run.IsCompleted}; logs:\n{_nodes.Log(first)}\n{_nodes.Log(second)}");
        victim!.Kill(entireProcessTree: true);

        var (code, log) = await run;
        Assert.Equal(0, code);
        Assert.Contains("is gone; its cells", log);
        AssertSameFiles(reference, folder);
    }

    [Fact]
    public async Task A_node_serves_one_coordinator_after_another_and_a_coordinate_only_run_uses_only_the_nodes()
    {
        // With --coordinate-only the coordinator runs nothing itself, so each run can only finish through the node.
        // The second run has other data, which the node draws into the memory of the first run's test sets (SpareArrays).
        var scenario = ScenarioFile(Scenarios.Small);
        var seedPort = Ports.Free();
        var node = await StartNode(seedPort, seedPort);
        foreach (var (attempt, seed) in new[] { (1, "11"), (2, "12") })
        {
            var reference = Scenarios.TempFolder();
            Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", reference, "--seed", seed]));
            var folder = Scenarios.TempFolder();
            var run = Cli.RunAsync(["run", scenario, "--out", folder, "--seed", seed, "--cluster", $"akka.tcp://delaysim@127.0.0.1:{seedPort}", "--coordinate-only"]);
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));
            Assert.True(finished == run, $"run {attempt} did not finish through the node; node log:\n{_nodes.Log(node)}");
            Assert.Equal(0, await run);
            AssertSameFiles(reference, folder);
        }
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(_nodes.Log(node), "Coordinator found at").Count);
    }

    [Fact]
    public async Task A_node_serves_two_coordinate_only_runs_at_once_oldest_first_and_both_finish()
    {
        // Run A must still be running when B's client has joined and submitted: the sweep at six times the steps
        // (about 8 s of two cores; at the plain sweep's 1.5 s, A once ended before B arrived).
        var big = ScenarioFile(Sweep.Edit("iterations = 40000", "iterations = 240000").Edit("checkpoint-every = 1000", "checkpoint-every = 6000"));
        var small = ScenarioFile(Scenarios.Small);
        var reference = await LocalReference(small);
        var seedPort = Ports.Free();
        var node = await StartNode(seedPort, seedPort);
        var seed = $"akka.tcp://delaysim@127.0.0.1:{seedPort}";

        // Run A in its own process; once the node works for it, run B here. The node must not abandon A for B.
        var first = StartClient(null, "run", big, "--out", Scenarios.TempFolder(), "--cluster", seed, "--coordinate-only");
        Assert.True(await Task.WhenAny(_working[node], Task.Delay(TimeSpan.FromMinutes(1))) == _working[node], $"the node got no cell of run A:\n{_nodes.Log(node)}");
        var secondFolder = Scenarios.TempFolder();
        var second = Cli.RunAsync(["run", small, "--out", secondFolder, "--cluster", seed, "--coordinate-only"]);

        var both = Task.WhenAll(first.WaitForExitAsync(), second);
        Assert.True(await Task.WhenAny(both, Task.Delay(TimeSpan.FromMinutes(3))) == both, $"a run did not finish; node log:\n{_nodes.Log(node)}");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, await second);
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "summary.csv")), File.ReadAllBytes(Path.Combine(secondFolder, "summary.csv")));
    }

    [Fact]
    public async Task A_node_started_before_its_seed_waits_for_it_without_warnings_and_joins()
    {
        var seedPort = Ports.Free();
        var early = _nodes.Start(Ports.Free(), seedPort);          // its seed is not listening yet
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var seed = await _nodes.Start(seedPort, seedPort);
        var first = await early;
        var log = _nodes.Log(first);
        Assert.Contains("waiting for the cluster at akka.tcp://delaysim@127.0.0.1:" + seedPort, log);
        Assert.DoesNotContain("WRN", log);
        Assert.DoesNotContain("WRN", _nodes.Log(seed));
    }

    [Fact]
    public async Task A_node_stopped_while_it_joins_exits_0_and_says_so_not_that_it_could_not_join()
    {
        var errors = new System.Text.StringBuilder();
        var node = StartClient(errors, "node", "--port", Ports.Free().ToString(), "--seed-nodes", $"akka.tcp://delaysim@127.0.0.1:{Ports.Free()}", "--join-timeout", "60");
        await Task.Delay(TimeSpan.FromSeconds(2));   // started, and trying a seed that is not there
        Assert.False(node.HasExited, errors.ToString());
        using (var kill = Process.Start("kill", ["-TERM", node.Id.ToString()])) await kill.WaitForExitAsync();
        Assert.True(node.WaitForExit(TimeSpan.FromSeconds(20)), "the node did not stop on SIGTERM while joining");
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"exit {node.ExitCode}:\n{errors}");
        Assert.Contains("stopped before it joined the cluster", errors.ToString());
        Assert.DoesNotContain("could not join", errors.ToString());
    }

    [Fact]
    public async Task A_node_with_a_wrong_seed_address_or_a_malformed_one_exits_with_a_clear_error()
    {
        var (code, error) = await CliRun.WithErrors("node", "--port", Ports.Free().ToString(), "--seed-nodes", $"akka.tcp://delaysim@127.0.0.1:{Ports.Free()}", "--join-timeout", "4");
        Assert.Equal(2, code);
        Assert.Contains("could not join the cluster", error);
        var (malformed, message) = await CliRun.WithErrors("node", "--seed-nodes", "delaysim at 127.0.0.1");
        Assert.Equal(2, malformed);
        Assert.Contains("expected an address like akka.tcp://delaysim@127.0.0.1:4053", message);

        // A port another process listens on: refused before Akka starts (its transport let such a node come Up, bound to nothing).
        var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
            var (taken, why) = await CliRun.WithErrors("node", "--port", port.ToString(), "--join-timeout", "4");
            Assert.Equal(2, taken);
            Assert.Contains($"port {port} on 127.0.0.1 is in use", why);
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    public async Task A_run_submitted_to_a_node_is_run_by_the_cluster_and_writes_the_files_of_a_local_run_with_its_log_and_table_here()
    {
        var scenario = ScenarioFile(Sweep);
        var reference = await LocalReference(scenario);
        var seedPort = Ports.Free();
        var runsPort = Ports.Free();
        var accepting = await StartNode(seedPort, seedPort, "--accept-runs", "--runs-port", runsPort.ToString());
        Assert.Contains($"takes runs at 127.0.0.1:{runsPort}", _nodes.Log(accepting));
        var other = await StartNode(Ports.Free(), seedPort);
        // Logged by the other node as it answers, so it may reach that node's stdout after the run ended here: awaited.
        var drew = _nodes.WhenLogged(other, "Drew figures losses-vs-iteration, gap-vs-tau, staleness-histogram for");
        var folder = Scenarios.TempFolder();

        var (code, output, error) = await CliRun.WithOutput("run", scenario, "--out", folder, "--submit", $"127.0.0.1:{runsPort}");

        Assert.True(code == 0, $"exit {code}:\n{error}\nnode logs:\n{_nodes.Log(accepting)}\n{_nodes.Log(other)}");
        AssertSameFiles(reference, folder);
        Assert.True(_working[other].IsCompleted, $"the second node ran no cell:\n{_nodes.Log(other)}");
        Assert.Contains("[12/12] Cell", error);          // the progress lines come back from the node
        Assert.DoesNotContain("→ akka.tcp", error);      // which runner got which part stays in the node's log
        Assert.Contains("part 2/2 → akka.tcp", _nodes.Log(accepting));
        Assert.Contains($"Wrote {folder} in", error);
        Assert.Contains("cluster: 3 seeds", output);      // and so does the table
        // The later half of the figures was drawn on the other node, from the cells the coordinator sent: the same bytes.
        Assert.True(await Task.WhenAny(drew, Task.Delay(TimeSpan.FromSeconds(20))) == drew, $"the other node drew no figures:\n{_nodes.Log(other)}");
        Assert.DoesNotContain("ERR", _nodes.Log(accepting) + _nodes.Log(other));
        Assert.DoesNotContain("drawn here", error);      // and they were used: none was drawn again on the coordinating node
        var plots = Directory.GetFiles(Path.Combine(reference, "plots"));
        Assert.Equal(10, plots.Length);
        foreach (var plot in plots)
            Assert.Equal(File.ReadAllBytes(plot), File.ReadAllBytes(Path.Combine(folder, "plots", Path.GetFileName(plot))));

        // Both stopped with SIGTERM at once: each leaves and exits 0 (System.CommandLine's own signal handler once
        // crashed a node that was stopping on a disposed token source; Termination handles signals now).
        foreach (var node in new[] { accepting, other })
            using (var kill = Process.Start("kill", ["-TERM", node.Id.ToString()])) await kill.WaitForExitAsync();
        foreach (var node in new[] { accepting, other })
        {
            Assert.True(node.WaitForExit(TimeSpan.FromSeconds(30)), "a node did not stop on SIGTERM");
            await node.WaitForExitAsync();
            Assert.True(node.ExitCode == 0, $"exit {node.ExitCode} on SIGTERM:\n{_nodes.Log(node)}");
            Assert.DoesNotContain("Unhandled exception", _nodes.Log(node));
        }
    }

    [Fact]
    public async Task Submitted_runs_wait_their_turn_on_a_node_and_its_errors_come_back_with_their_exit_codes()
    {
        // Run A must still be running when B's client has joined and submitted: the sweep at six times the steps
        // (about 8 s of two cores; at the plain sweep's 1.5 s, A once ended before B arrived).
        var big = ScenarioFile(Sweep.Edit("iterations = 40000", "iterations = 240000").Edit("checkpoint-every = 1000", "checkpoint-every = 6000"));
        var small = ScenarioFile(Scenarios.Small);
        var reference = await LocalReference(small);
        var seedPort = Ports.Free();
        var runsPort = Ports.Free();
        var node = await StartNode(seedPort, seedPort, "--accept-runs", "--runs-port", runsPort.ToString());
        var seed = $"127.0.0.1:{runsPort}";

        // Run A in its own process; once the node works for it, submit B from here: B waits for A, then both finish.
        var bigFolder = Scenarios.TempFolder();
        var first = StartClient(null, "run", big, "--out", bigFolder, "--submit", seed);
        Assert.True(await Task.WhenAny(_working[node], Task.Delay(TimeSpan.FromMinutes(1))) == _working[node], $"the node got no cell of run A:\n{_nodes.Log(node)}");
        var smallFolder = Scenarios.TempFolder();
        var (code, _, error) = await CliRun.WithOutput("run", small, "--out", smallFolder, "--submit", seed);
        Assert.True(code == 0, error);
        Assert.Contains("behind 1 submitted run", error);
        var log = _nodes.Log(node);
        Assert.True(log.IndexOf($"→ {smallFolder}", StringComparison.Ordinal) > log.IndexOf("ended with exit code 0", StringComparison.Ordinal), $"run B started before run A ended:\n{log}");
        Assert.True(first.WaitForExit(TimeSpan.FromMinutes(1)), "run A's client did not exit");
        Assert.Equal(0, first.ExitCode);
        // Run A's client heard the run to its end: the node logged no error and no client that stopped waiting.
        Assert.DoesNotContain("ERR", _nodes.Log(node));
        Assert.DoesNotContain("stopped waiting", _nodes.Log(node));
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "summary.csv")), File.ReadAllBytes(Path.Combine(smallFolder, "summary.csv")));

        // Bad input found on the node (a folder holding another scenario's run) comes back as bad input, named.
        var (refused, message) = await CliRun.WithErrors("run", small, "--out", bigFolder, "--submit", seed);
        Assert.Equal(2, refused);
        Assert.Contains(bigFolder, message);

        // Nothing listening, a node's cluster port instead of its runs port, and a cluster address are refused here.
        var foreign = _nodes.WhenLogged(node, "WRN] Bytes that are not Akka's frames reached the cluster port");
        foreach (var (address, expected) in new[] { ($"127.0.0.1:{Ports.Free()}", "no node there accepts runs (connection refused"),
                     ($"127.0.0.1:{seedPort}", "no node there accepts runs"), ($"akka.tcp://delaysim@127.0.0.1:{seedPort}", "not a cluster address") })
        {
            var (refusedHere, why) = await CliRun.WithErrors("run", small, "--out", Scenarios.TempFolder(), "--submit", address);
            Assert.True(refusedHere == 2, $"{address}: exit {refusedHere}\n{why}");
            Assert.Contains(expected, why);
        }
        // The node says in one warning what reached its cluster port, instead of Akka's error with DotNetty's stack trace.
        Assert.True(await Task.WhenAny(foreign, Task.Delay(TimeSpan.FromSeconds(20))) == foreign, _nodes.Log(node));
        Assert.DoesNotContain("ERR", _nodes.Log(node));
        Assert.DoesNotContain("DotNetty", _nodes.Log(node));
    }

    [Fact]
    public async Task A_client_whose_node_dies_during_a_submitted_run_says_so_and_where_the_finished_cells_are()
    {
        var scenario = ScenarioFile(Sweep);
        var seedPort = Ports.Free();
        var runsPort = Ports.Free();
        var node = await StartNode(seedPort, seedPort, "--accept-runs", "--runs-port", runsPort.ToString());
        var folder = Scenarios.TempFolder();
        var run = CliRun.WithErrors("run", scenario, "--out", folder, "--submit", $"127.0.0.1:{runsPort}");
        Assert.True(await Task.WhenAny(_working[node], Task.Delay(TimeSpan.FromMinutes(1))) == _working[node], $"the node got no cell:\n{_nodes.Log(node)}");
        node.Kill(entireProcessTree: true);

        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)));
        Assert.True(finished == run, "the client did not notice that its node died");
        var (code, error) = await run;
        Assert.Equal(1, code);
        Assert.Contains($"the node stopped before the run ended; the cells it finished are in {folder}", error);
    }

    [Fact]
    public async Task A_client_stopped_with_sigterm_exits_130_and_the_node_finishes_the_run_without_a_warning()
    {
        var scenario = ScenarioFile(Sweep);
        var seedPort = Ports.Free();
        var runsPort = Ports.Free();
        var node = await StartNode(seedPort, seedPort, "--accept-runs", "--runs-port", runsPort.ToString());
        var ended = _nodes.WhenLogged(node, "ended with exit code 0");
        var folder = Scenarios.TempFolder();
        var errors = new System.Text.StringBuilder();
        var client = StartClient(errors, "run", scenario, "--out", folder, "--submit", $"127.0.0.1:{runsPort}");
        Assert.True(await Task.WhenAny(_working[node], Task.Delay(TimeSpan.FromMinutes(1))) == _working[node], $"the node got no cell:\n{_nodes.Log(node)}");

        using (var kill = Process.Start("kill", ["-TERM", client.Id.ToString()])) await kill.WaitForExitAsync();
        Assert.True(client.WaitForExit(TimeSpan.FromSeconds(20)), "the client did not stop");
        await client.WaitForExitAsync(); // and its output is read to the end
        Assert.Equal(130, client.ExitCode);
        lock (errors) Assert.Contains("Stopped waiting; the run goes on", errors.ToString());

        Assert.True(await Task.WhenAny(ended, Task.Delay(TimeSpan.FromMinutes(2))) == ended, $"the node did not finish the run:\n{_nodes.Log(node)}");
        Assert.True(File.Exists(Path.Combine(folder, "summary.csv")));
        var log = _nodes.Log(node);
        Assert.Contains("stopped waiting; the run goes on", log);
        // The run's own advice on the stability loss aside, nothing: no write to the client's closed address.
        Assert.DoesNotContain(log.Split('\n'), line => line.Contains("WRN") && !line.Contains("stability loss"));
    }

    public void Dispose() => _nodes.Dispose();
}

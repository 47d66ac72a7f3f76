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

    [Theory]
    [InlineData("steps", "100,52,48")]   // d = 8 > M = 4: steps 8c..8c+3 busy, 8c+4..8c+7 empty; 100 = 12·8 + 4
    [InlineData("updates", "100,100,0")] // empty steps skipped: 100 updates
    public async Task A_parameter_server_run_reports_its_updates_and_empty_steps(string count, string expected)
    {
        var path = Path.Combine(Scenarios.TempFolder(), "ps.hocon");
        File.WriteAllText(path, Scenarios.Small.Edit("iterations = 300", "iterations = 100").Edit("delay { kind = fixed, tau = [0, 3, 7] }",
            $"simulation {{ domain = parameter-server, parameter-server {{ workers = 4, d = [8], count = {count} }} }}"));
        var summary = File.ReadAllLines(Path.Combine(await Run(path, "direct"), "summary.csv"));
        var header = summary[0].Split(',');
        var row = summary[1].Split(',');
        Assert.Equal(["updates", "empty_steps"], header[^2..]);
        Assert.Equal(expected, string.Join(",", row[Array.IndexOf(header, "iterations")], row[^2], row[^1]));
    }

    [Fact]
    public async Task Contrasts_are_paired_differences_against_the_first_value_of_each_dimension()
    {
        var path = Path.Combine(Scenarios.TempFolder(), "sweep.hocon");
        File.WriteAllText(path, Scenarios.Small + "\nsweep { \"optimizer.eta\" = [0.05, 0.02] }");
        var folder = await Run(path, "direct");
        var rows = File.ReadAllLines(Path.Combine(folder, "contrasts.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        // η = 0.02 against 0.05 at each of the 3 delays, and τ = 3, 7 against τ = 0 at each η: 7 contrasts × 7 metrics.
        Assert.Equal(DelaySim.Host.Output.Contrasts.Header, File.ReadLines(Path.Combine(folder, "contrasts.csv")).First());
        Assert.Equal(49, rows.Length);
        Assert.Equal(["optimizer.eta", "delay"], rows.Select(r => r[0]).Distinct()); // grouped by dimension
        var row = rows.Single(r => r[1] == "eta=0.02;fixed-tau3" && r[0] == "optimizer.eta" && r[3] == "gen_gap");
        Assert.Equal("eta=0.05;fixed-tau3", row[2]);
        // The same number by hand from metrics.csv: the mean over replicates of the final gaps' differences.
        var metrics = File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Skip(1).Select(l => l.Split(',')).Where(r => r[2] == "300").ToArray();
        double Gap(string cell, string replicate) => double.Parse(metrics.Single(r => r[0] == cell && r[1] == replicate)[5], System.Globalization.CultureInfo.InvariantCulture);
        var expected = new[] { "0", "1" }.Select(r => Gap("eta=0.02;fixed-tau3", r) - Gap("eta=0.05;fixed-tau3", r)).Average();
        Assert.Equal(expected, double.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal("2", row[7]);
    }

    [Fact]
    public async Task A_ziggurat_run_is_the_same_bytes_on_both_engines_and_other_numbers_than_the_polar_default()
    {
        var path = WriteSmall();
        var direct = await Run(path, "direct", "--set", "data.synthetic.sampler=ziggurat");
        var actors = await Run(path, "actors", "--set", "data.synthetic.sampler=ziggurat");
        var polar = await Run(path, "direct");
        foreach (var file in new[] { "metrics.csv", "summary.csv", "staleness.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(direct, file)), File.ReadAllBytes(Path.Combine(actors, file)));
        Assert.NotEqual(File.ReadAllText(Path.Combine(polar, "metrics.csv")), File.ReadAllText(Path.Combine(direct, "metrics.csv")));
        // The schedule of delays does not depend on the data's sampler.
        Assert.Equal(File.ReadAllBytes(Path.Combine(polar, "staleness.csv")), File.ReadAllBytes(Path.Combine(direct, "staleness.csv")));
    }

    [Fact]
    public async Task A_run_with_one_cell_writes_no_contrasts()
    {
        var path = Path.Combine(Scenarios.TempFolder(), "one.hocon");
        File.WriteAllText(path, Scenarios.Small.Edit("tau = [0, 3, 7]", "tau = [3]"));
        Assert.False(File.Exists(Path.Combine(await Run(path, "direct"), "contrasts.csv")));
    }

    [Fact]
    public async Task Runs_without_a_parameter_server_keep_the_summary_columns_they_had()
    {
        var summary = File.ReadAllLines(Path.Combine(await Run(WriteSmall(), "direct"), "summary.csv"));
        Assert.Equal(DelaySim.Host.Output.RunFolder.SummaryHeader, summary[0]);
    }

    [Fact]
    public async Task Same_seed_twice_gives_byte_identical_results_and_both_engines_agree()
    {
        var file = WriteSmall();
        var first = await Run(file, "actors");
        var second = await Run(file, "actors", "--jobs", "1");
        var direct = await Run(file, "direct");
        foreach (var name in new[] { "summary.csv", "metrics.csv", "theory.csv" })
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
        var theory = File.ReadAllLines(Path.Combine(folder, "theory.csv"));
        Assert.Equal(DelaySim.Host.Output.TheoryTable.Header, theory[0]);
        Assert.Equal(1 + 3, theory.Length);
        Assert.True(File.Exists(Path.Combine(folder, "plots", "gap-vs-tau.png")));
        Assert.False(File.Exists(Path.Combine(folder, "plots", "gap-vs-n.png")), "one n: no plot against n");
    }

    [Fact]
    public async Task A_sweep_over_n_gets_the_one_over_n_overlay_and_its_plot()
    {
        var path = Path.Combine(Scenarios.TempFolder(), "n.hocon");
        File.WriteAllText(path, Scenarios.Small + "\nsweep { \"data.synthetic.n\" = [40, 80, 160] }\n");
        var folder = await Run(path, "direct");
        var rows = File.ReadAllLines(Path.Combine(folder, "theory.csv")).Skip(1).Select(DelaySim.Host.Output.Csv.Split).ToArray();
        Assert.Equal(3 * 3, rows.Length);
        var column = DelaySim.Host.Output.TheoryTable.Header.Split(',').ToList();
        Assert.All(rows, r => Assert.NotEqual("", r[column.IndexOf("inverse_n_c")]));
        Assert.All(rows.Where(r => r[column.IndexOf("tau")] == "0"), r => Assert.Equal("", r[column.IndexOf("regatti_log10")]));
        Assert.True(File.Exists(Path.Combine(folder, "plots", "gap-vs-n.png")));
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

[Collection("cli")]
public class TimeDomainRunTests
{
    [Fact]
    public async Task A_time_domain_scenario_is_byte_identical_across_engines_and_writes_staleness_per_worker()
    {
        var scenario = Path.Combine(Scenarios.TempFolder(), "time.hocon");
        File.WriteAllText(scenario, """
            name = time
            seeds = 2
            problem.kind = least-squares
            data.synthetic { n = 64, n-test = 200, dimension = 8 }
            optimizer { eta = 0.05, iterations = 300, batch = 2 }
            simulation {
              domain = time
              time {
                workers = 3
                compute { distribution = exponential, mean = 0.01, correlation.ar = [0.7] }
                uplink { netem = "2ms 1ms 25% distribution pareto" }
              }
            }
            stability.twins = 2
            """);
        var actors = Scenarios.TempFolder();
        var direct = Scenarios.TempFolder();
        Assert.Equal(0, await DelaySim.Host.Cli.RunAsync(["run", scenario, "--out", actors]));
        Assert.Equal(0, await DelaySim.Host.Cli.RunAsync(["run", scenario, "--out", direct, "--engine", "direct"]));
        foreach (var name in new[] { "summary.csv", "metrics.csv", "staleness.csv", "staleness_histogram.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(actors, name)), File.ReadAllBytes(Path.Combine(direct, name)));
        var rows = File.ReadAllLines(Path.Combine(actors, "staleness.csv"));
        Assert.Equal(1 + 2 * 3, rows.Length); // header + 2 replicates × 3 workers
        Assert.StartsWith("time,0,0,", rows[1]);
    }

    [Theory]
    [InlineData("simulation { domain = time, time { workers = 2, compute { distribution = exponential, mean = 0.01 } } }", "simulation.time.uplink: is required")]
    [InlineData("simulation { domain = time, time { workers = 2, compute { distribution = gamma, shape = 1, scale = -1 }, uplink { distribution = constant, value = 0 } } }", "simulation.time.compute.scale: -1 is out of range")]
    [InlineData("simulation { domain = parameter-server, parameter-server { d = [0] } }", "simulation.parameter-server.d: element 0 = 0 is out of range")]
    [InlineData("simulation { domain = parameter-server, parameter-server { d = [4] } }\nstability.twin-delays = independent", "stability.twin-delays: 'independent' needs random delays")]
    public void Bad_time_domain_keys_are_named(string simulation, string message)
    {
        var text = Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }", simulation);
        Assert.Contains(message, Assert.Throws<DelaySim.Model.BadInputException>(() => Scenarios.Parse(text)).Message);
    }

    [Fact]
    public void A_delay_block_in_the_time_domain_is_an_error_that_says_why()
    {
        var text = Scenarios.Small + "\nsimulation { domain = parameter-server, parameter-server { d = [4] } }";
        Assert.Contains("delay: is for the staleness domain", Assert.Throws<DelaySim.Model.BadInputException>(() => Scenarios.Parse(text)).Message);
    }

    [Fact]
    public void Independent_twin_delays_reach_the_time_domain_cells()
    {
        var text = Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }",
            "simulation { domain = time, time { workers = 2, compute { distribution = exponential, mean = 0.01 }, uplink { distribution = constant, value = 0 } } }")
            + "\nstability.twin-delays = independent\n";
        Assert.True(DelaySim.Host.Pipeline.CellPlan.Build(Scenarios.Parse(text)).Single().Spec.IndependentTwinDelays);
    }
}

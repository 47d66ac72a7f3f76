using DelaySim.Model;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// The reproducers of the hostile-input report, one per kind of failure: each used to crash (stack overflow), hang,
/// clobber a folder or end in exit 1 with a stack trace, and is now exit 2 with one line that says where.
/// </summary>
[Collection("cli")]
public class HostileInputTests
{
    const string Time = """
        simulation { domain = time, time { workers = 2, uplink { distribution = constant, value = 0.001 },
          downlink { distribution = constant, value = 0.001 }, compute { COMPUTE } } }
        """;

    static string TimeScenario(string compute) =>
        Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }", Time.Replace("COMPUTE", compute));

    [Theory]
    [InlineData("optimizer.eta = ${optimizer.eta}", "optimizer.eta → optimizer.eta")]
    [InlineData("vars.a = ${vars.b}\nvars.b = ${vars.a}", "vars.a → vars.b → vars.a")]
    [InlineData("a = ${b}\nb = ${a}", "a → b → a")]
    [InlineData("x { y = ${x} }", "x.y → x.y")]
    public void A_substitution_cycle_is_named_instead_of_overflowing_the_stack(string cycle, string path)
    {
        var e = Assert.Throws<BadInputException>(() => Scenarios.Parse(Scenarios.Small + "\n" + cycle));
        Assert.Contains($"substitution cycle {path}", e.Message);
        Assert.StartsWith("test.hocon:", e.Message);
    }

    [Fact]
    public void An_include_closed_on_its_line_and_substitutions_in_comments_or_strings_are_not_cycles()
    {
        var folder = Scenarios.TempFolder();
        File.WriteAllText(Path.Combine(folder, "common.hocon"), "eta = 0.05\nseed = 3\n");
        var text = Scenarios.Small.Edit("eta = 0.05", "eta = ${vars.eta}") + "\nvars { include \"common.hocon\" } // was ${optimizer.eta}\nseed = ${vars.seed}\nname = \"small ${name}\"";
        var scenario = DelaySim.Host.Scenarios.ScenarioReader.Parse(text, "test.hocon", folder);
        Assert.Equal(0.05, scenario.Optimizer.Eta);
        Assert.Equal(3UL, scenario.Seed);
    }

    [Fact]
    public void Substitutions_without_a_cycle_still_resolve()
    {
        var scenario = Scenarios.Parse(Scenarios.Small.Edit("eta = 0.05", "eta = ${vars.eta}") + "\nvars { base = 0.05, eta = ${vars.base} }");
        Assert.Equal(0.05, scenario.Optimizer.Eta);
    }

    [Theory]
    [InlineData("vars.a = [1, 2\\, 4]", "'\\' outside a quoted string")]
    [InlineData("vars.a = [1, 2^]", "'^' outside a quoted string")]
    [InlineData("vars.a = [1, $]", "'$' outside a quoted string")]
    [InlineData("vars.a = [0, ${?nope}]", "optional substitutions")]
    [InlineData("vars.a = ${?HOME}", "optional substitutions")]
    [InlineData("vars.a = [1, :2]", "':' inside the list opened on line 10")]
    [InlineData("vars.a = [\"x\": 2]", "':' inside the list opened on line 10")]
    [InlineData("vars.a = [=]", "'=' inside the list opened on line 10")]
    public async Task Text_that_hangs_akkas_parser_is_refused_first(string line, string message)
    {
        var parse = Task.Run(() => Assert.Throws<BadInputException>(() => Scenarios.Parse(Scenarios.Small + "\n" + line)));
        Assert.True(await Task.WhenAny(parse, Task.Delay(TimeSpan.FromSeconds(10))) == parse, "the parser did not finish");
        var e = await parse;
        Assert.Contains(message, e.Message);
        Assert.StartsWith("test.hocon:", e.Message);
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(100_000)]
    public void Deep_nesting_is_refused_at_once(int depth)
    {
        var text = Scenarios.Small + "\n" + string.Concat(Enumerable.Repeat("x { ", depth)) + new string('}', depth);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<BadInputException>(() => Scenarios.Parse(text));
        Assert.Contains("nested more than 64 deep", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("distribution = poisson, mean = 1e15", "poisson needs a mean of at most")]
    [InlineData("distribution = gamma, shape = 1e300, scale = 1", "gamma needs a shape between")]
    [InlineData("distribution = gamma, shape = 1e-300, scale = 1", "gamma needs a shape between")]
    [InlineData("distribution = weibull, shape = 0.001, scale = 1", "weibull needs a shape between")]
    [InlineData("distribution = pareto, shape = 0.01, scale = 1", "pareto needs a shape of at least")]
    [InlineData("distribution = lognormal, mu = 0, sigma = 50", "lognormal needs sigma")]
    [InlineData("distribution = constant, value = 1e308", "above the 1E+06 limit")]
    [InlineData("netem = \"delay 1e400ms\"", "expected a delay time")]
    public void A_delay_model_that_would_hang_or_never_advance_is_refused_naming_the_key(string compute, string message)
    {
        var e = Assert.Throws<BadInputException>(() => Scenarios.Parse(TimeScenario(compute)));
        Assert.Contains("simulation.time.compute", e.Message);
        Assert.Contains(message, e.Message.Replace("1000000", "1E+06"));
    }

    [Fact]
    public void A_bad_set_value_names_the_option_not_a_line_of_the_file_and_times_take_units()
    {
        var text = DelaySim.Host.Scenarios.ScenarioReader.WithOverrides(Scenarios.Small, ["optimizer.eta=-1"]);
        var e = Assert.Throws<BadInputException>(() => Scenarios.Parse(text));
        Assert.StartsWith("test.hocon, --set optimizer.eta: optimizer.eta: -1 is out of range", e.Message);
        var scenario = Scenarios.Parse(TimeScenario("distribution = exponential, mean = 10ms"));
        var compute = DelaySim.Host.Pipeline.CellPlan.Build(scenario)[0].Spec.Time!.Compute;
        Assert.Equal("exponential(mean 0.01)", compute.Label);
        Assert.Contains("a time with a unit such as 10ms", Assert.Throws<BadInputException>(() => Scenarios.Parse(TimeScenario("distribution = exponential, mean = 10 parsecs"))).Message);
    }

    [Fact]
    public void A_repeated_delay_value_is_refused_instead_of_making_two_cells_of_one_name()
    {
        var e = Assert.Throws<BadInputException>(() => DelaySim.Host.Pipeline.CellPlan.Build(Scenarios.Parse(Scenarios.Small.Edit("tau = [0, 3, 7]", "tau = [0, 3, 0]"))));
        Assert.Contains("test.hocon: cell fixed-tau0 appears 2 times", e.Message);
    }

    [Fact]
    public void A_long_ar_polynomial_is_read_up_to_the_limit_and_refused_beyond_it()
    {
        string Ar(int p) => $"distribution = exponential, mean = 0.01, correlation.ar = [{string.Join(", ", Enumerable.Repeat("0.001", p))}]";
        Assert.NotNull(Scenarios.Parse(TimeScenario(Ar(20))));
        var e = Assert.Throws<BadInputException>(() => Scenarios.Parse(TimeScenario(Ar(200))));
        Assert.Contains("simulation.time.compute.correlation.ar: an AR(200) process: at most 64", e.Message);
    }

    [Theory]
    [InlineData("delay { kind = fixed, tau = [0, 3, 7] }", "delay { kind = fixed, tau = [1000000] }", "GiB")]
    [InlineData("batch = 2", "batch = 2147483647", "more than .NET's")]
    [InlineData("dimension = 12", "dimension = 100000000", "data.synthetic.n = 40 × data.synthetic.dimension = 100,000,000")]
    [InlineData("n = 40,", "n = 1000000000,", "data.synthetic.n = 1,000,000,000")]
    public async Task A_run_too_large_for_the_machine_is_refused_before_it_allocates(string find, string replace, string message)
    {
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "big.hocon");
        File.WriteAllText(file, Scenarios.Small.Edit(find, replace));
        var (code, error) = await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "out"));
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Contains("big.hocon", error);
    }

    [Fact]
    public void The_memory_estimate_of_a_sweep_uses_each_points_own_size()
    {
        var scenario = Scenarios.Parse(Scenarios.Small + "\nsweep { \"data.synthetic.dimension\" = [12, 100000] }");
        var cells = DelaySim.Host.Pipeline.CellPlan.Build(scenario);
        // About 2 × 240 × 100,000 doubles of data and 4 × 8 history slots: far above 10 MB, while d = 12 alone fits.
        Assert.Contains("dimension=100000", Assert.Throws<BadInputException>(() => DelaySim.Host.Pipeline.MemoryBudget.Require(scenario, cells, 1, 10_000_000)).Message);
        DelaySim.Host.Pipeline.MemoryBudget.Require(Scenarios.Parse(Scenarios.Small), DelaySim.Host.Pipeline.CellPlan.Build(Scenarios.Parse(Scenarios.Small)), 1, 10_000_000);
    }

    [Fact]
    public async Task Max_memory_refuses_a_run_that_fits_the_machine_but_not_the_limit()
    {
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "s.hocon");
        File.WriteAllText(file, Scenarios.Small);
        var (code, error) = await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "out"), "--max-memory", "1K");
        Assert.Equal(2, code);
        Assert.Contains("--max-memory allows", error);
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
        Assert.Equal(2, (await CliRun.WithErrors("run", file, "--max-memory", "lots")).Code);
    }

    [Fact]
    public async Task Command_line_combinations_that_cannot_work_are_one_line_of_exit_2()
    {
        var folder = Scenarios.TempFolder();
        var spec = Path.Combine(folder, "up.hocon");
        File.WriteAllText(spec, "up { distribution = exponential, mean = 0.01, workers { 5 { distribution = constant, value = 0.1 } } }");
        var delays = await CliRun.WithErrors("delays", spec, "--workers", "2");
        Assert.Equal(2, delays.Code);
        Assert.Contains("up.hocon: up: worker(s) 5 overridden, but the run has only 2 workers (0..1) (--workers 2)", delays.Error);

        var node = await CliRun.WithErrors("node", "--host", "not a host", "--port", "0", "--join-timeout", "1");
        Assert.Equal(2, node.Code);
        Assert.Contains("--host 'not a host': expected a host name or an IP address", node.Error);
        Assert.DoesNotContain("   at ", node.Error);
    }

    [Fact]
    public async Task Errors_found_while_planning_name_the_file_and_the_key()
    {
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "twins.hocon");
        File.WriteAllText(file, Scenarios.Small.Edit("stability.twins = 3", "stability.twins = 500"));
        var (code, error) = await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "out"));
        Assert.Equal(2, code);
        Assert.Contains("twins.hocon: stability.twins = 500 exceeds the training set size 40", error);

        var unknown = await CliRun.WithErrors("frobnicate");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("unknown command 'frobnicate' (expected one of: run,", unknown.Error);
        Assert.Equal(0, (await CliRun.WithErrors("help")).Code);
    }
}

/// <summary>The run's advice on a noisy stability estimate: silent when usable; twins or seeds that would make it usable when not.</summary>
public class StabilityAdviceTests
{
    static readonly DelaySim.Model.Engine.Checkpoint[] Finite = [new(0, 1, 1, 1, 0, 0), new(10, 0.5, 0.6, 0.6, 0.1, 0.01)];

    static DelaySim.Host.Pipeline.CellOutcome Cell(double[] estimates, double twinVariance)
    {
        var replicates = estimates.Select((e, r) => new DelaySim.Model.Engine.ReplicateResult(r, (ulong)r, Finite, e, [10], []) { StabilityTwinVariance = twinVariance }).ToArray();
        var cell = DelaySim.Host.Pipeline.CellPlan.Build(Scenarios.Parse(Scenarios.Small.Edit("stability.twins = 3", "stability.twins = 4")))[0];
        return new(cell, replicates, DelaySim.Model.Engine.CellSummary.From(cell.Name, cell.Spec, cell.TrainCount, replicates, 1), TimeSpan.Zero);
    }

    [Fact]
    public void A_noisy_stability_estimate_gets_the_twins_or_seeds_that_would_make_it_usable()
    {
        // Estimates 0.5, 1.5, 0.8, 1.2 over 4 seeds: V = 0.1933, half-width t₃ √(V/4) = 0.70 (70 %); 4 (0.70 / 0.2)² → 49 seeds.
        // With σ_w² = 0.76 and K = 4 twins, σ_b² = V − 0.19 = 0.0033 and S (0.2 / t₃)² − σ_b² = 0.01246 leaves room for 0.76 / 0.01246 → 61 twins.
        double[] noisy = [0.5, 1.5, 0.8, 1.2];
        var twins = Assert.Single(DelaySim.Host.Pipeline.RunPipeline.StabilityAdvice([Cell(noisy, 0.76)]));
        Assert.Contains("its 95 % interval is 70 % of the value (4 seeds × 4 twins); 61 twins per seed would bring it under 20 % (98 % of its variance is between twins), or about 49 seeds", twins);
        // With σ_w² = 0.6 the seeds' own spread σ_b² = 0.043 exceeds what 4 seeds allow: no number of twins helps.
        Assert.Contains("no number of twins would bring it under 20 % (22 % of its variance is between seeds); about 49 seeds would",
            Assert.Single(DelaySim.Host.Pipeline.RunPipeline.StabilityAdvice([Cell(noisy, 0.6)])));
        Assert.Empty(DelaySim.Host.Pipeline.RunPipeline.StabilityAdvice([Cell([0.95, 1.05, 0.98, 1.02], 0.1)]));
        var wide = DelaySim.Host.Pipeline.RunPipeline.StabilityAdvice([Cell([-1, 1.2, 0.3, -0.2], 0.5)]).ToArray();
        Assert.Contains(wide, w => w.StartsWith("In 1 of 1 cells the stability loss's 95 % interval is wider than the value"));
    }
}

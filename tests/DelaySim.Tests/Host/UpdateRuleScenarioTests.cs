using DelaySim.Host.Pipeline;
using DelaySim.Model;
using DelaySim.Model.Updates;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary><c>optimizer.rule</c>: read strictly, resolved per cell, sweepable, and invisible in the hash when plain.</summary>
public class UpdateRuleScenarioTests
{
    [Fact]
    public void Each_kind_reaches_the_cells_with_its_parameters_and_delay_adaptive_scales_by_the_workers()
    {
        var cells = CellPlan.Build(Scenarios.Parse(Scenarios.Small + "\noptimizer.rule { kind = delay-adaptive }"));
        // The staleness domain's default worker count is τ + 1 (τ = 0, 3, 7).
        Assert.Equal([1.0, 4, 8], cells.Select(c => ((DelayAdaptiveUpdate)c.Spec.Rule).Scale));
        var weighted = CellPlan.Build(Scenarios.Parse(Scenarios.Small + "\noptimizer.rule { kind = staleness-weighted, weight = hinge, a = 0.5, b = 2 }"))[0];
        Assert.Equal(new StalenessWeightedUpdate(StalenessWeight.Hinge, 0.5, 2), weighted.Spec.Rule);
        var momentum = CellPlan.Build(Scenarios.Parse(Scenarios.Small + "\noptimizer.rule { kind = momentum, beta = 0.9 }"))[0];
        Assert.Equal(new MomentumUpdate(0.9), momentum.Spec.Rule);
        Assert.Equal(new BoundedStalenessUpdate(4), CellPlan.Build(Scenarios.Parse(Scenarios.Small + "\noptimizer.rule { kind = bounded-staleness, max = 4 }"))[0].Spec.Rule);
        Assert.Equal(new DelayCompensatedUpdate(0.5), CellPlan.Build(Scenarios.Parse(Scenarios.Small + "\noptimizer.rule { kind = delay-compensated, lambda = 0.5 }"))[0].Spec.Rule);
        Assert.Equal(new BufferedUpdate(4, Mean: false), CellPlan.Build(Scenarios.Parse(Scenarios.Small + "\noptimizer.rule { kind = buffered, size = 4, combine = sum }"))[0].Spec.Rule);
        Assert.Equal(new BufferedUpdate(4, true, new StalenessWeightedUpdate(StalenessWeight.Polynomial, 0.5, 0)),
            CellPlan.Build(Scenarios.Parse(Scenarios.Small + "\noptimizer.rule { kind = buffered, size = 4, weight = polynomial, a = 0.5 }"))[0].Spec.Rule);
    }

    [Fact]
    public void Plain_written_out_is_the_default_and_keeps_the_scenario_hash()
    {
        var absent = Scenarios.Parse(Scenarios.Small);
        var written = Scenarios.Parse(Scenarios.Small + "\noptimizer.rule.kind = plain");
        Assert.Equal(DelaySim.Host.Output.RunFolder.Hash(absent), DelaySim.Host.Output.RunFolder.Hash(written));
        Assert.Same(UpdateRule.Plain, CellPlan.Build(written)[0].Spec.Rule);
        Assert.NotEqual(DelaySim.Host.Output.RunFolder.Hash(absent),
            DelaySim.Host.Output.RunFolder.Hash(Scenarios.Parse(Scenarios.Small + "\noptimizer.rule { kind = momentum, beta = 0.5 }")));
    }

    [Fact]
    public void A_sweep_over_the_kind_keeps_every_kinds_parameters_in_one_block()
    {
        var cells = CellPlan.Build(Scenarios.Parse(Scenarios.Small.Edit("tau = [0, 3, 7]", "tau = [3]") +
            "\noptimizer.rule { kind = plain, beta = 0.5, weight = inverse }\nsweep { \"optimizer.rule.kind\" = [plain, momentum, staleness-weighted] }"));
        Assert.Equal(["kind=plain;fixed-tau3", "kind=momentum;fixed-tau3", "kind=staleness-weighted;fixed-tau3"], cells.Select(c => c.Name));
        Assert.Equal(["plain", "momentum(beta=0.5)", "staleness-weighted(inverse)"], cells.Select(c => c.Spec.Rule.Label));
    }

    [Theory]
    [InlineData("optimizer.rule { kind = momentum }", "optimizer.rule.beta: is required")]
    [InlineData("optimizer.rule { kind = momentum, beta = 1 }", "optimizer.rule.beta: 1 is out of range")]
    [InlineData("optimizer.rule { kind = staleness-weighted, weight = cubic }", "optimizer.rule.weight: 'cubic' is not one of: inverse, polynomial, hinge")]
    [InlineData("optimizer.rule { kind = staleness-weighted, weight = polynomial }", "optimizer.rule.a: is required")]
    [InlineData("optimizer.rule { kind = staleness-weighted, weight = hinge, a = -1, b = 0 }", "optimizer.rule.a: -1 is out of range")]
    [InlineData("optimizer.rule { kind = delay-adaptive, scale = 0 }", "optimizer.rule.scale: 0 is out of range")]
    [InlineData("optimizer.rule { kind = nesterov }", "optimizer.rule.kind: 'nesterov' is not one of")]
    [InlineData("optimizer.rule { kind = momentum, beta = 0.5, lamda = 2 }", "optimizer.rule.lamda: unknown key")]
    [InlineData("optimizer.rule = momentum", "optimizer.rule: expected a block")]
    [InlineData("optimizer.rule { kind = bounded-staleness }", "optimizer.rule.max: is required")]
    [InlineData("optimizer.rule { kind = bounded-staleness, max = 2, policy = wait }", "optimizer.rule.policy: wait needs simulation.domain = time")]
    [InlineData("optimizer.rule { kind = bounded-staleness, max = 2, policy = later }", "optimizer.rule.policy: 'later' is not one of: drop, wait")]
    [InlineData("optimizer.rule { kind = bounded-staleness, max = -1 }", "optimizer.rule.max: -1 is out of range")]
    [InlineData("optimizer.rule { kind = delay-compensated, lambda = -0.1 }", "optimizer.rule.lambda: -0.1 is out of range")]
    [InlineData("optimizer.rule { kind = buffered }", "optimizer.rule.size: is required")]
    [InlineData("optimizer.rule { kind = buffered, size = 0 }", "optimizer.rule.size: 0 is out of range")]
    [InlineData("optimizer.rule { kind = buffered, size = 2, combine = median }", "optimizer.rule.combine: 'median' is not one of: mean, sum")]
    public void A_bad_rule_is_an_error_naming_the_key(string line, string expected)
    {
        var e = Assert.Throws<BadInputException>(() => Scenarios.Parse(Scenarios.Small + "\n" + line));
        Assert.Contains(expected, e.Message);
    }
}

/// <summary><c>delay.kind = trace</c> in a scenario.</summary>
public class StalenessTraceScenarioTests
{
    static string Trace()
    {
        var path = Path.Combine(Scenarios.TempFolder(), "staleness.csv");
        File.WriteAllText(path, string.Join("\n", Enumerable.Range(0, 300).Select(t => t % 5)));
        return path;
    }

    [Fact]
    public void A_trace_gives_one_cell_whose_history_fits_its_largest_staleness()
    {
        var cells = CellPlan.Build(Scenarios.Parse(Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }", $"delay {{ kind = trace, file = \"{Trace()}\" }}")));
        Assert.Equal("trace", cells.Single().Name);
        Assert.Equal(4, cells[0].Spec.MaxStaleness);
        Assert.Equal(5, cells[0].Spec.Workers);
    }

    [Fact]
    public void A_trace_shorter_than_the_run_is_an_error_unless_it_repeats()
    {
        var text = Scenarios.Small.Edit("iterations = 300", "iterations = 400").Edit("delay { kind = fixed, tau = [0, 3, 7] }", $"delay {{ kind = trace, file = \"{Trace()}\" }}");
        Assert.Contains("has 300 values for 400 steps", Assert.Throws<BadInputException>(() => CellPlan.Build(Scenarios.Parse(text))).Message);
        Assert.Single(CellPlan.Build(Scenarios.Parse(text + "\ndelay.repeat = true")));
    }

    [Fact]
    public void A_sweep_over_the_kind_keeps_the_trace_file_beside_tau()
    {
        var text = Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }", $"delay {{ kind = trace, file = \"{Trace()}\", tau = [2] }}")
                   + "\nsweep { zip { \"delay.kind\" = [trace, uniform], \"delay.tau\" = [0, 4] } }";
        Assert.Equal(["kind=trace;tau=0", "kind=uniform;tau=4;uniform-tau4"], CellPlan.Build(Scenarios.Parse(text)).Select(c => c.Name));
        Assert.Contains("delay.file", Assert.Throws<BadInputException>(() => Scenarios.Parse(Scenarios.Small.Edit("kind = fixed", "kind = trace"))).Message);
    }

    [Theory]
    [InlineData("delay { kind = model, max = 8 }", "delay.model: is required")]
    [InlineData("delay { kind = model, model { distribution = exponential, mean = 3 } }", "delay.max")]
    [InlineData("delay { kind = model, max = -1, model { distribution = exponential, mean = 3 } }", "delay.max: -1 is out of range")]
    public void A_staleness_model_needs_a_model_block_and_a_cap(string delay, string expected)
    {
        var text = Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }", delay);
        Assert.Contains(expected, Assert.Throws<BadInputException>(() => Scenarios.Parse(text)).Message);
    }

    [Fact]
    public void A_staleness_model_gives_one_cell_capped_at_its_max()
    {
        var cell = CellPlan.Build(Scenarios.Parse(Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }",
            "delay { kind = model, max = 6, model { distribution = exponential, mean = 3 } }"))).Single();
        Assert.Equal("model", cell.Name);
        Assert.Equal(6, cell.Spec.MaxStaleness);
    }
}


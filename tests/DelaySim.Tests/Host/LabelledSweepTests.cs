using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// A sweep over whole blocks: <c>sweep { "key" { label-a { … }, label-b = ${vars.b} } }</c> makes one cell per label,
/// named by it, with that block in place; scenario hashes of plain sweeps are unchanged (pinned below).
/// </summary>
public class LabelledSweepTests
{
    const string Time = """
        name = blocks
        seeds = 2
        problem.kind = least-squares
        data.synthetic { n = 32, n-test = 200, dimension = 6 }
        optimizer { eta = 0.02, iterations = 200 }
        vars { slow { distribution = exponential, mean = 0.02 } }
        simulation { domain = time, time { workers = 4, uplink { distribution = constant, value = 0.001 }, downlink { distribution = constant, value = 0.001 } } }
        sweep { "simulation.time.compute" {
          fast { distribution = constant, value = 0.001 }
          slow = ${vars.slow}
          netem { netem = "10ms 5ms 25% distribution pareto" }
        } }
        stability.twins = 2
        """;

    [Fact]
    public void Each_label_is_a_cell_with_its_block_in_place()
    {
        var scenario = Scenarios.Parse(Time);
        var cells = CellPlan.Build(scenario);
        Assert.Equal(["compute=fast", "compute=slow", "compute=netem"], cells.Select(c => c.Name));
        Assert.Equal(["constant(0.001)", "exponential(mean 0.02)"], cells.Take(2).Select(c => c.Spec.Time!.Compute.Label));
        Assert.StartsWith("pareto", cells[2].Spec.Time!.Compute.Label);
    }

    [Fact]
    public void A_block_swept_and_also_set_is_refused_and_a_list_of_blocks_gets_a_hint()
    {
        var twice = Time.Edit("simulation { domain = time, time { workers = 4,", "simulation { domain = time, time { workers = 4, compute { distribution = constant, value = 1 },");
        Assert.Contains("must not be set elsewhere too", Assert.Throws<BadInputException>(() => Scenarios.Parse(twice)).Message);
        var list = Scenarios.Small + "\nvars.a { x = 1 }\nsweep { \"optimizer.eta\" = [${vars.a}, { x = 2 }] }";
        Assert.Contains("to sweep whole blocks, label them", Assert.Throws<BadInputException>(() => Scenarios.Parse(list)).Message);
        var zipped = Scenarios.Small + "\nsweep { zip { \"optimizer.eta\" { a = 0.1 }, \"seeds\" = [1] } }";
        Assert.Contains("labelled blocks cannot be zipped", Assert.Throws<BadInputException>(() => Scenarios.Parse(zipped)).Message);
    }

    [Fact]
    public void A_list_of_vars_references_sweeps_the_blocks_labelled_by_their_names()
    {
        var vars = "vars { fast { distribution = constant, value = 0.001 }, slow { distribution = exponential, mean = 0.02 } }\n";
        var time = Time[..Time.IndexOf("sweep {", StringComparison.Ordinal)].Edit("vars { slow { distribution = exponential, mean = 0.02 } }\n", vars);
        var listed = Scenarios.Parse(time + "sweep { \"simulation.time.compute\" = [${vars.fast}, ${vars.slow}] }\nstability.twins = 2");
        Assert.Equal(["compute=fast", "compute=slow"], CellPlan.Build(listed).Select(c => c.Name));
        var labelled = Scenarios.Parse(time + "sweep { \"simulation.time.compute\" { fast = ${vars.fast}, slow = ${vars.slow} } }\nstability.twins = 2");
        Assert.Equal(RunFolder.Hash(labelled), RunFolder.Hash(listed)); // the same sweep written two ways
        var dotted = Scenarios.Parse(time + "sweep { \"simulation.time.compute\" = [${vars.fast}] }");
        Assert.Single(dotted.Variants);
        Assert.Contains("looks like a label with a dot (lr-0.1), which HOCON reads as a path",
            Assert.Throws<BadInputException>(() => Scenarios.Parse(Scenarios.Small + "\nsweep { \"optimizer.eta\" { lr-0.1 { x = 1 } } }")).Message);
        Assert.Contains("lists a variable twice", Assert.Throws<BadInputException>(() => Scenarios.Parse(time + "sweep { \"simulation.time.compute\" = [${vars.fast}, ${vars.fast}] }")).Message);
    }

    [Fact]
    public void The_hash_follows_the_blocks_content_and_scalars_can_be_labelled_too()
    {
        var a = RunFolder.Hash(Scenarios.Parse(Time));
        var b = RunFolder.Hash(Scenarios.Parse(Time.Edit("mean = 0.02", "mean = 0.03")));
        Assert.NotEqual(a, b);
        var eta = Scenarios.Parse(Scenarios.Small + "\nsweep { \"optimizer.eta\" { small = 0.01, large = 0.1 } }");
        var cells = CellPlan.Build(eta);
        Assert.Equal([0.01, 0.01, 0.01, 0.1, 0.1, 0.1], cells.Select(c => c.Spec.Eta));
        Assert.StartsWith("eta=small;", cells[0].Name);
    }

    /// <summary>Runs made before a change verify only if the hash of the same scenario is the same: pinned for a plain and a swept one.</summary>
    [Theory]
    [InlineData("scenarios/default.hocon", "699fec1b3dfe")]
    [InlineData("scenarios/paper/convex-tau-sweep.hocon", "a3db444135f8")]
    [InlineData("scenarios/paper/stragglers.hocon", "41cb1e46f171")]
    public void Scenario_hashes_of_shipped_scenarios_do_not_move(string file, string prefix)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "DelaySim.slnx"))) root = Path.GetDirectoryName(root)!;
        Assert.StartsWith(prefix, RunFolder.Hash(ScenarioReader.ReadFile(Path.Combine(root, file))));
    }
}

/// <summary>The final-metric-against-the-swept-key plot: written for a numeric sweep with few lines, left out with many.</summary>
[Collection("cli")]
public class SweepPlotTests
{
    [Theory]
    [InlineData("tau = [0, 3, 7]", true)]
    [InlineData("tau = [0, 1, 2, 3, 4, 5, 6]", false)]
    public async Task A_numeric_sweep_gets_its_final_vs_key_plot_when_the_lines_are_few(string taus, bool expected)
    {
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "s.hocon");
        File.WriteAllText(file, Scenarios.Small.Edit("iterations = 300", "iterations = 30").Edit("tau = [0, 3, 7]", taus) + "\nsweep { \"optimizer.eta\" = [0.01, 0.02, 0.05] }");
        Assert.Equal(0, (await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "out"), "--engine", "direct")).Code);
        Assert.Equal(expected, File.Exists(Path.Combine(folder, "out", "plots", "final-vs-eta.png")));
    }
}

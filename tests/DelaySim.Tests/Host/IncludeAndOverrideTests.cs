using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

public class IncludeAndOverrideTests
{
    static string Layout()
    {
        var root = Scenarios.TempFolder();
        Directory.CreateDirectory(Path.Combine(root, "presets"));
        File.WriteAllText(Path.Combine(root, "presets", "problem.hocon"), "problem.kind = least-squares\ninclude \"data.hocon\"\n");
        File.WriteAllText(Path.Combine(root, "presets", "data.hocon"), "data.synthetic { n = 40, n-test = 200, dimension = 12 }\n");
        File.WriteAllText(Path.Combine(root, "main.hocon"),
            "include \"presets/problem.hocon\"\ndata.synthetic.n = 50\noptimizer { eta = 0.05, iterations = 100 }\ndelay.tau = [0, 2]\n");
        return Path.Combine(root, "main.hocon");
    }

    [Fact]
    public void Includes_resolve_relative_to_the_including_file_and_later_keys_win()
    {
        var scenario = ScenarioReader.ReadFile(Layout());
        Assert.Equal(DelaySim.Model.Problems.ProblemKind.LeastSquares, scenario.Problem.Kind);      // from presets/problem.hocon
        Assert.Equal(12, scenario.Data.Synthetic!.Dimension);     // from presets/data.hocon, included by problem.hocon
        Assert.Equal(50, scenario.Data.Synthetic.N);              // the main file overrides the include
    }

    [Fact]
    public void Set_overrides_win_over_the_file_and_are_checked_like_file_keys()
    {
        var file = Layout();
        var scenario = ScenarioReader.ReadFile(file, ["data.synthetic.n=70", "optimizer.eta = 0.02", "delay.tau=[1, 3]"]);
        Assert.Equal(70, scenario.Data.Synthetic!.N);
        Assert.Equal(0.02, scenario.Optimizer.Eta);
        Assert.Equal([1, 3], scenario.Delay!.Tau);
        Assert.Contains("optimizer.etaa: unknown key", Assert.Throws<BadInputException>(() => ScenarioReader.ReadFile(file, ["optimizer.etaa=1"])).Message);
        Assert.Contains("expected key.path=value", Assert.Throws<BadInputException>(() => ScenarioReader.ReadFile(file, ["nonsense"])).Message);
    }

    [Fact]
    public void A_missing_or_cyclic_include_is_an_error_naming_the_file()
    {
        var root = Scenarios.TempFolder();
        File.WriteAllText(Path.Combine(root, "a.hocon"), "include \"missing.hocon\"\n");
        Assert.Contains("include \"missing.hocon\": file not found", Assert.Throws<BadInputException>(() => ScenarioReader.ReadFile(Path.Combine(root, "a.hocon"))).Message);
        File.WriteAllText(Path.Combine(root, "loop.hocon"), "include \"loop.hocon\"\n");
        Assert.Contains("nested includes", Assert.Throws<BadInputException>(() => ScenarioReader.ReadFile(Path.Combine(root, "loop.hocon"))).Message);
    }
}

public class SubstitutionTests
{
    [Fact]
    public void Vars_hold_values_for_substitutions_and_a_seed_sweep_makes_one_point_per_seed()
    {
        var scenario = Scenarios.Parse(Scenarios.Small.Edit("eta = 0.05", "eta = ${vars.base-eta}") + "\nvars.base-eta = 0.03\nsweep { \"seed\" = [1, 2, 3] }");
        Assert.Equal(0.03, scenario.Optimizer.Eta);
        Assert.Equal([1UL, 2UL, 3UL], scenario.Variants.Select(v => v.Scenario.Seed));
        Assert.Equal("seed=2", scenario.Variants[1].Point.Name);
    }
}

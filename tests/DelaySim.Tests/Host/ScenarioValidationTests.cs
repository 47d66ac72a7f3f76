using DelaySim.Host;
using DelaySim.Model;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

[Collection("cli")]
public class ScenarioValidationTests
{
    /// <summary>A catalogue of broken scenarios: (edit applied to the small scenario, text the error must contain).</summary>
    public static TheoryData<string, string, string> Broken => new()
    {
        { "eta = 0.05", "etaa = 0.05", "optimizer.etaa: unknown key (did you mean 'optimizer.eta'?)" },
        { "eta = 0.05", "eta = -0.05", "optimizer.eta: -0.05 is out of range" },
        { "eta = 0.05", "eta = fast", "optimizer.eta: 'fast' is not a finite number" },
        { "iterations = 300", "iterations = 0", "optimizer.iterations: 0 is out of range" },
        { "iterations = 300", "iterations = 3.5", "optimizer.iterations: '3.5' is not an integer" },
        { "tau = [0, 3, 7]", "tau = [0, -3]", "delay.tau: element 1 = -3 is out of range" },
        { "kind = fixed", "kind = gamma", "delay.kind: 'gamma' is not one of: fixed, uniform" },
        { "problem.kind = least-squares", "problem.kind = svm", "problem.kind: 'svm' is not one of" },
        { "seeds = 2", "seeds = 0", "seeds: 0 is out of range" },
        { "stability.twins = 3", "stability.twins = 3\nstabilty.k = 2", "stabilty.k: unknown key" },
        { "data.synthetic { n = 40,", "data.libsvm { train = \"nope.svm\" }\ndata.synthetic { n = 40,", "data: needs exactly one of" },
        { "n-test = 200,", "n-test = 200, dimensions = 3,", "data.synthetic.dimensions: unknown key (did you mean 'data.synthetic.dimension'?)" },
        { "stability.twins = 3", "stability.twins = 3\nstability.twin-delays = private", "stability.twin-delays: 'private' is not one of: shared, independent" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_scenario_names_the_file_and_the_key(string find, string replace, string message)
    {
        Assert.Contains(find, Scenarios.Small);
        var text = Scenarios.Small.Edit(find, replace);
        var e = Assert.Throws<BadInputException>(() => Scenarios.Parse(text));
        Assert.Contains(message, e.Message);
        // file:line: key: … where the key is written in the file (or file: key: … for a key that is absent).
        var match = System.Text.RegularExpressions.Regex.Match(e.Message, @"^test\.hocon(?::(\d+))?: ");
        Assert.True(match.Success, e.Message);
        if (match.Groups[1].Success)
        {
            var key = message.Split(':')[0].Split('.')[^1];
            Assert.Contains(key, text.Split('\n')[int.Parse(match.Groups[1].Value) - 1]);
        }
    }

    [Fact]
    public void The_small_scenario_and_the_default_one_are_valid()
    {
        Scenarios.Parse(Scenarios.Small);
        var scenario = DelaySim.Host.Scenarios.ScenarioReader.ReadDefault();
        Assert.Equal(0, scenario.Delay!.Tau[0]);
        Assert.Equal(32, scenario.Delay.Tau[^1]);
    }

    [Theory]
    [InlineData("optimizer { eta = 0.05 ", "bad.hocon:1: '{' is never closed")]
    [InlineData("seed = 1\n}\n", "bad.hocon:2: unexpected '}'")]
    [InlineData("delay.tau = [1, 2\nseed = 3", "bad.hocon:1: '[' is never closed")]
    [InlineData("seed = 1\nproblem.kind = least-squares\noptimizer { eta = 0.1, iterations = 10 }\ndelay.tau = 1\ndata.libsvm { train = \"missing.svm\" }", "data.libsvm.train: file 'missing.svm' not found")]
    [InlineData("seed = 1\nproblem.kind = least-squares\noptimizer { eta = 0.1, iterations = 10 }\ndelay.tau = 1\ndata.libsvm { train = \"bad.svm\" }", "bad.svm:2: index in '0:1' is not a positive integer")]
    public async Task Bad_input_exits_with_code_2(string text, string message)
    {
        var folder = Scenarios.TempFolder();
        File.WriteAllText(Path.Combine(folder, "bad.svm"), "1 1:1\n-1 0:1\n");
        var file = Path.Combine(folder, "bad.hocon");
        File.WriteAllText(file, text);
        var (code, error) = await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "out"));
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error); // no stack trace
    }

    [Fact]
    public async Task A_missing_scenario_file_exits_with_code_2() =>
        Assert.Equal(2, await Cli.RunAsync(["run", "/nonexistent/scenario.hocon"]));
}

public class HoconSyntaxTests
{
    [Fact]
    public void A_comma_after_a_closing_brace_is_accepted_as_HOCON_allows()
    {
        var config = DelaySim.Host.Scenarios.HoconSyntax.Parse("a { x = 1 }, b { y = \"},\" }, c = [[1, 2], [3]]", "t.hocon");
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal("},", config.GetString("b.y"));
        Assert.Equal(2, config.GetValue("c").GetArray().Count);
    }
}

public class SweepTests
{
    const string Sweep = """

        sweep {
          "data.synthetic.n" = [20, 80]
          "optimizer.eta" = [0.01, 0.02, 0.04]
        }
        """;

    [Fact]
    public void A_two_by_three_sweep_makes_six_points_named_by_their_values_times_the_delay_cells()
    {
        var scenario = Scenarios.Parse(Scenarios.Small + Sweep);
        Assert.Equal(6, scenario.Variants.Count);
        Assert.Equal(["n=20;eta=0.01", "n=20;eta=0.02", "n=20;eta=0.04", "n=80;eta=0.01", "n=80;eta=0.02", "n=80;eta=0.04"], scenario.Variants.Select(v => v.Point.Name));
        Assert.Equal(80, scenario.Variants[4].Scenario.Data.Synthetic!.N);
        Assert.Equal(0.02, scenario.Variants[4].Scenario.Optimizer.Eta);
        var cells = DelaySim.Host.Pipeline.CellPlan.Build(scenario);
        Assert.Equal(6 * 3, cells.Count); // × τ ∈ {0, 3, 7}
        Assert.Equal("n=20;eta=0.01;fixed-tau3", cells[1].Name);
        Assert.Equal(20, cells[1].TrainCount);
    }

    [Fact]
    public void A_swept_key_with_a_typo_or_a_bad_value_is_reported_with_the_point()
    {
        var typo = Assert.Throws<DelaySim.Model.BadInputException>(() => Scenarios.Parse(Scenarios.Small + "\nsweep { \"optimizer.etaa\" = [0.1] }"));
        Assert.Contains("[etaa=0.1]: optimizer.etaa: unknown key", typo.Message);
        var bad = Assert.Throws<DelaySim.Model.BadInputException>(() => Scenarios.Parse(Scenarios.Small + "\nsweep { \"optimizer.eta\" = [0.1, -1] }"));
        Assert.Contains("[eta=-1]: optimizer.eta: -1 is out of range", bad.Message);
    }

    [Fact]
    public void The_sweep_is_part_of_the_scenario_hash()
    {
        var plain = Scenarios.Parse(Scenarios.Small);
        var swept = Scenarios.Parse(Scenarios.Small + Sweep);
        Assert.NotEqual(DelaySim.Host.Output.RunFolder.Hash(plain), DelaySim.Host.Output.RunFolder.Hash(swept));
    }
}

public class ZippedSweepTests
{
    [Fact]
    public void A_zip_advances_its_lists_together_inside_the_grid()
    {
        var scenario = Scenarios.Parse(Scenarios.Small + """

            sweep {
              "data.synthetic.n" = [20, 80]
              zip {
                "optimizer.eta" = [0.01, 0.02, 0.04]
                "optimizer.batch" = [1, 2, 4]
              }
            }
            """);
        Assert.Equal(["n=20;eta=0.01;batch=1", "n=20;eta=0.02;batch=2", "n=20;eta=0.04;batch=4",
                      "n=80;eta=0.01;batch=1", "n=80;eta=0.02;batch=2", "n=80;eta=0.04;batch=4"], scenario.Variants.Select(v => v.Point.Name));
        Assert.Equal(4, scenario.Variants[5].Scenario.Optimizer.Batch);
    }

    [Fact]
    public void Zipped_lists_of_different_lengths_are_refused()
    {
        var e = Assert.Throws<DelaySim.Model.BadInputException>(() => Scenarios.Parse(Scenarios.Small +
            "\nsweep { zip { \"optimizer.eta\" = [0.01, 0.02], \"optimizer.batch\" = [1] } }"));
        Assert.Contains("sweep.zip: zipped lists must have the same length (got 2, 1)", e.Message);
    }
}

public class HoconLinesTests
{
    [Fact]
    public void Keys_are_found_on_their_lines_through_blocks_dotted_paths_and_inline_fields()
    {
        var map = DelaySim.Host.Scenarios.HoconLines.Map("""
            name = x
            data.synthetic {
              n = 40, n-test = "a { b"
              # a comment { with braces
            }
            optimizer { eta = 0.1,
              iterations = [1, 2,
                3] }
            sweep { "optimizer.eta" = [1, 2] }
            """);
        Assert.Equal(1, map["name"]);
        Assert.Equal(2, map["data.synthetic"]);
        Assert.Equal(3, map["data.synthetic.n"]);
        Assert.Equal(3, map["data.synthetic.n-test"]);
        Assert.Equal(6, map["optimizer.eta"]);
        Assert.Equal(7, map["optimizer.iterations"]);
        Assert.Equal(9, map["sweep.optimizer.eta"]);
    }
}

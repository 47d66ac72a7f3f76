using System.Globalization;
using DelaySim.Host;
using DelaySim.Host.Commands;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Tests.Support;
using Spectre.Console;

namespace DelaySim.Tests.Host;

/// <summary>
/// "Does a bursty uplink change the gap and the stability compared with an i.i.d. one of the same mean?" asked as one
/// file (scenarios/ab/), answered at the end of the run: the paired bursty − iid difference per η, printed after the
/// summary, in contrasts.csv and as the report's first table.
/// </summary>
[Collection("cli")]
public class AbQuestionTests
{
    static readonly double[] Etas = [0.02, 0.04, 0.08];

    [Fact]
    public Task The_bursty_versus_iid_question_on_synthetic_data_is_answered_at_the_end_of_the_run() => Ask("scenarios/ab/bursty-vs-iid.hocon");

    [DataFact]
    public Task The_bursty_versus_iid_question_on_ijcnn1_is_answered_at_the_end_of_the_run() => Ask("scenarios/ab/bursty-vs-iid-ijcnn1.hocon");

    static async Task Ask(string file)
    {
        var folder = Scenarios.TempFolder();
        var (code, printed) = await Printed("run", Path.Combine(Root(), file), "--out", folder, "--engine", "direct");
        Assert.Equal(0, code);

        var summary = File.ReadAllLines(Path.Combine(folder, "summary.csv")).Select(Csv.Split).ToArray();
        Assert.Equal(["simulation.time.uplink", "optimizer.eta", "cell"], summary[0][..3]);
        double Ci(string cell) => double.Parse(summary.Single(r => r[2] == cell)[Array.IndexOf(summary[0], "gen_gap_ci95")], CultureInfo.InvariantCulture);

        var contrasts = File.ReadAllLines(Path.Combine(folder, Contrasts.FileName)).Skip(1).Select(Csv.Split).ToArray();
        foreach (var eta in Etas.Select(e => e.ToString(CultureInfo.InvariantCulture)))
        {
            var gap = contrasts.Single(r => r[0] == "simulation.time.uplink" && r[1] == $"uplink=bursty;eta={eta}" && r[3] == "gen_gap");
            Assert.Equal($"uplink=iid;eta={eta}", gap[2]);
            Assert.Equal("10", gap[7]);
            var paired = double.Parse(gap[5], CultureInfo.InvariantCulture);
            // Common random numbers: the paired interval is narrower than the unpaired one, √(ci_a² + ci_b²).
            Assert.InRange(paired, 1e-12, Math.Sqrt(Math.Pow(Ci($"uplink=iid;eta={eta}"), 2) + Math.Pow(Ci($"uplink=bursty;eta={eta}"), 2)));
        }

        // Printed after the results table, one row per η.
        var table = printed.IndexOf("paired contrasts", StringComparison.Ordinal);
        Assert.True(table > printed.IndexOf("train loss", StringComparison.Ordinal), printed);
        Assert.Equal(3, printed[table..].Split('\n').Count(l => l.Contains("bursty − iid") && l.Contains("eta=0.0")));

        var report = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.StartsWith("<h2 id=\"contrasts\">", report[report.IndexOf("<h2", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Contrasts_take_the_named_baseline_and_a_bad_one_names_the_key()
    {
        var text = Scenarios.Small + "\nsweep { \"optimizer.eta\" = [0.01, 0.02, 0.04] }\ncontrasts.baseline { \"optimizer.eta\" = 0.02, delay = fixed-tau3 }";
        var scenario = Scenarios.Parse(text);
        Assert.Equal(new Dictionary<string, string> { ["delay"] = "fixed-tau3", ["optimizer.eta"] = "0.02" }, scenario.ContrastBaselines);
        Assert.NotEqual(RunFolder.Hash(Scenarios.Parse(Scenarios.Small + "\nsweep { \"optimizer.eta\" = [0.01, 0.02, 0.04] }")), RunFolder.Hash(scenario));
        Assert.Contains("contrasts.baseline.optimizer.eta: 0.03 is not one of its swept values (0.01, 0.02, 0.04)",
            Assert.Throws<BadInputException>(() => Scenarios.Parse(text.Edit("= 0.02,", "= 0.03,"))).Message);
        Assert.Contains("contrasts.baseline.seeds: is not swept", Assert.Throws<BadInputException>(() => Scenarios.Parse(text.Edit("\"optimizer.eta\" = 0.02", "seeds = 2"))).Message);
        Assert.Contains("contrasts.baseline.delay: fixed-tau4 is not one of the delay values (fixed-tau0, fixed-tau3, fixed-tau7)",
            Assert.Throws<BadInputException>(() => CellPlan.Build(Scenarios.Parse(text.Edit("fixed-tau3", "fixed-tau4")))).Message);
    }

    [Fact]
    public async Task Contrasts_against_a_named_baseline_pair_each_cell_with_it()
    {
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "s.hocon");
        File.WriteAllText(file, Scenarios.Small.Edit("iterations = 300", "iterations = 60") + "\nsweep { \"optimizer.eta\" = [0.01, 0.02] }\ncontrasts.baseline { delay = fixed-tau3 }");
        Assert.Equal(0, (await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "out"), "--engine", "direct")).Code);
        var rows = File.ReadAllLines(Path.Combine(folder, "out", Contrasts.FileName)).Skip(1).Select(Csv.Split).Where(r => r[0] == "delay" && r[3] == "gen_gap").ToArray();
        Assert.Equal(["eta=0.01;fixed-tau0", "eta=0.01;fixed-tau7", "eta=0.02;fixed-tau0", "eta=0.02;fixed-tau7"], rows.Select(r => r[1]));
        Assert.All(rows, r => Assert.EndsWith(";fixed-tau3", r[2]));
    }

    [Fact]
    public async Task A_folder_of_format_1_verifies_and_resumes_in_its_own_format()
    {
        var folder = Scenarios.TempFolder();
        var text = Scenarios.Small.Edit("iterations = 300", "iterations = 60").Edit("delay { kind = fixed, tau = [0, 3, 7] }",
            "simulation { domain = time, time { workers = 3, compute { distribution = exponential, mean = 0.01 }, uplink { distribution = constant, value = 0.001 }, downlink { distribution = constant, value = 0.001 } } }") + "\nsweep { \"optimizer.eta\" = [0.01, 0.02] }"
            + "\noptimizer.rule { kind = buffered, size = 4 }"; // format 2 adds the held column

        var scenario = Scenarios.Parse(text) with { Format = RunFormat.Unnumbered };
        await RunPipeline.RunAsync(scenario, folder, new LocalExecutor(EngineKind.Direct, 1), 1, printTable: false);
        Assert.DoesNotContain("\"format\"", File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.StartsWith("cell,", File.ReadLines(Path.Combine(folder, "summary.csv")).First());
        Assert.Contains("eta=0.01;time,", File.ReadAllText(Path.Combine(folder, "summary.csv")));
        Assert.Equal(Exit.Ok, await VerifyCommand.VerifyAsync(folder, null, null));

        // A fresh run of the same scenario is format 2: short names, swept columns first.
        var fresh = Scenarios.TempFolder();
        await RunPipeline.RunAsync(Scenarios.Parse(text), fresh, new LocalExecutor(EngineKind.Direct, 1), 1, printTable: false);
        Assert.Contains("\"format\": 2", File.ReadAllText(Path.Combine(fresh, "manifest.json")));
        Assert.StartsWith("optimizer.eta,cell,", File.ReadLines(Path.Combine(fresh, "summary.csv")).First());
        Assert.Contains("\n0.01,eta=0.01,", File.ReadAllText(Path.Combine(fresh, "summary.csv")));
        Assert.EndsWith(",held", File.ReadLines(Path.Combine(fresh, "summary.csv")).First());
        Assert.Equal(Exit.Ok, CompareCommand.Compare(folder, fresh, 1e-12)); // the same numbers under new names, a column more: a match

        // Resuming the old folder (one cell file gone) keeps it format 1, byte for byte.
        var before = File.ReadAllBytes(Path.Combine(folder, "summary.csv"));
        File.Delete(Directory.GetFiles(Path.Combine(folder, "cells"))[0]);
        await RunPipeline.RunAsync(Scenarios.Parse(text), folder, new LocalExecutor(EngineKind.Direct, 1), 1, printTable: false);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, "summary.csv")));
    }

    [Fact]
    public async Task Compare_matches_cells_by_swept_values_and_pairs_replicates_of_the_same_seed()
    {
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "s.hocon");
        var text = Scenarios.Small.Edit("iterations = 300", "iterations = 60") + "\nsweep { \"optimizer.eta\" { small = 0.01, large = 0.02 } }";
        File.WriteAllText(file, text);
        Assert.Equal(0, (await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "a"), "--engine", "direct")).Code);
        File.WriteAllText(file, text.Edit("iterations = 60", "iterations = 80"));
        Assert.Equal(0, (await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "b"), "--engine", "direct")).Code);
        var (code, printed) = await Printed("compare", Path.Combine(folder, "a"), Path.Combine(folder, "b"));
        Assert.Equal(Exit.Mismatch, code);
        Assert.DoesNotContain("absent", printed);
        Assert.Contains("paired differences B − A over common seeds (master seed 11)", printed);
        var paired = printed[printed.IndexOf("paired differences", StringComparison.Ordinal)..];
        Assert.Equal(6, paired.Split('\n').Count(l => l.Contains("eta=small;fixed-tau") || l.Contains("eta=large;fixed-tau"))); // 2 η × 3 τ
    }

    [Fact]
    public async Task A_buffered_rule_says_how_many_gradients_it_still_held_at_the_end()
    {
        // 30 steps of one gradient each into buffers of K = 4 and 7: 30 mod 4 = 2 and 30 mod 7 = 2 never applied; plain holds none.
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "s.hocon");
        File.WriteAllText(file, Scenarios.Small.Edit("iterations = 300", "iterations = 30").Edit("checkpoint-every = 50", "checkpoint-every = 10")
            + "\nsweep { \"optimizer.rule\" { plain { kind = plain }, k4 { kind = buffered, size = 4 }, k7 { kind = buffered, size = 7 } } }");
        Assert.Equal(0, (await CliRun.WithErrors("run", file, "--out", Path.Combine(folder, "out"), "--engine", "direct")).Code);
        var summary = File.ReadAllLines(Path.Combine(folder, "out", "summary.csv")).Select(Csv.Split).ToArray();
        var held = Array.IndexOf(summary[0], "held");
        Assert.Equal("held", summary[0][^1]);
        Assert.Equal(["0", "2", "2"], summary.Skip(1).Where(r => r[1].EndsWith("fixed-tau3")).Select(r => r[held]));
    }

    [Theory]
    [InlineData(0.14578, 4, "0.1458")]
    [InlineData(0.031801, 4, "0.03180")]
    [InlineData(1234.5678, 4, "1235")]
    [InlineData(0.00012345, 4, "1.235e-4")]
    [InlineData(double.NaN, 4, "–")]
    public void Numbers_show_significant_digits(double x, int digits, string expected) => Assert.Equal(expected, NumberText.Significant(x, digits));

    [Theory]
    [InlineData(0.14578, 0.0072, "0.1458 ± 0.0072")]
    [InlineData(0.1251, 0.0311, "0.125 ± 0.031")]
    [InlineData(-4.7e-4, 3.04e-4, "-4.7e-4 ± 3.0e-4")]
    [InlineData(1.2345e-4, 2e-7, "1.2345e-4 ± 2.0e-7")]
    [InlineData(0.5, double.NaN, "0.5000")]
    public void A_mean_is_rounded_to_its_intervals_precision(double mean, double half, string expected) => Assert.Equal(expected, NumberText.PlusMinus(mean, half));

    [Fact]
    public void A_cell_name_template_names_the_cells_and_a_bad_one_is_refused()
    {
        var text = Scenarios.Small + "\nsweep { \"optimizer.eta\" = [0.01, 0.02] }\noutput.cell-names = \"η {eta} at {delay}\"";
        Assert.Equal(["η 0.01 at fixed-tau0", "η 0.01 at fixed-tau3", "η 0.01 at fixed-tau7", "η 0.02 at fixed-tau0", "η 0.02 at fixed-tau3", "η 0.02 at fixed-tau7"],
            CellPlan.Build(Scenarios.Parse(text)).Select(c => c.Name));
        Assert.Equal(CellPlan.Build(Scenarios.Parse(text)).Select(c => c.Name), CellPlan.Build(Scenarios.Parse(text.Edit("{eta}", "{optimizer.eta}"))).Select(c => c.Name));
        Assert.Contains("output.cell-names: {rate} is not a swept key (expected one of {eta}, {optimizer.eta}, {delay})",
            Assert.Throws<BadInputException>(() => Scenarios.Parse(text.Edit("{eta}", "{rate}"))).Message);
        Assert.Contains("gives 3 cells the name η 0.01 (add the swept keys, or {delay}, that tell them apart)",
            Assert.Throws<BadInputException>(() => CellPlan.Build(Scenarios.Parse(text.Edit(" at {delay}", "")))).Message);
        Assert.Contains("cannot name a cell file", Assert.Throws<BadInputException>(() => Scenarios.Parse(text.Edit(" at ", "/"))).Message);
        Assert.Contains("has none", Assert.Throws<BadInputException>(() => Scenarios.Parse(Scenarios.Small + "\noutput.cell-names = \"x\"")).Message);
    }

    [Fact]
    public void Swept_keys_are_named_by_their_shortest_unambiguous_suffix()
    {
        var sweep = new[] { new SweepDimension(["simulation.time.uplink.good.mean"], []), new SweepDimension(["simulation.time.uplink.bad.mean"], []), new SweepDimension(["optimizer.eta"], []) };
        Assert.Equal(["good.mean", "bad.mean", "eta"], sweep.Select(d => ScenarioReader.ShortestSuffix(d.Paths[0], sweep)));
    }

    static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DelaySim.slnx"))) return dir.FullName;
        throw new InvalidOperationException("project root not found");
    }

    /// <summary>Runs the command line with the console's tables captured.</summary>
    static async Task<(int Code, string Printed)> Printed(params string[] args)
    {
        var writer = new StringWriter();
        var original = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        try
        {
            var code = await Cli.RunAsync(args);
            return (code, writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = original;
        }
    }
}

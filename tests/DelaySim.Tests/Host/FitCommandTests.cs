using System.Globalization;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Delays;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// <c>delaysim fit</c> end to end: a trace in, a model file out that <c>delays</c> and <c>run</c> read, the same bytes
/// on every rerun; the shared real traces fit as the docs say; bad input is exit 2.
/// </summary>
[Collection("cli")]
public class FitCommandTests
{
    /// <summary>A project-format trace of 3 workers drawn from gamma(4, 2.5 ms) with AR(1) φ = 0.5.</summary>
    static string Trace(string folder)
    {
        var model = new CopulaModel(new GammaDelay(4, 0.0025), [0.5]);
        var streams = model.Open(7, "trace", 3);
        var lines = new List<string> { "worker,step,delay" };
        for (var w = 0; w < 3; w++)
            for (var k = 0; k < 1500; k++)
                lines.Add($"{w},{k},{streams[w].Next(k * 0.01).ToString("R", CultureInfo.InvariantCulture)}");
        var path = Path.Combine(folder, "trace.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task A_fitted_model_is_read_by_delays_and_by_run_and_the_fit_is_deterministic()
    {
        var folder = Scenarios.TempFolder();
        var trace = Trace(folder);
        var model = Path.Combine(folder, "model.hocon");
        Assert.Equal(0, (await CliRun.WithErrors("fit", trace, "--out", model)).Code);
        var text = File.ReadAllText(model);
        Assert.Contains("chosen gamma", text);
        Assert.Contains("correlation.ar = [", text);
        Assert.Equal(0, (await CliRun.WithErrors("fit", trace, "--out", model)).Code);
        Assert.Equal(text, File.ReadAllText(model));

        var c = new StrictConfig(HoconSyntax.Parse(text, "model.hocon"), "model.hocon");
        var copula = Assert.IsType<CopulaModel>(DelayModelReader.Read(c, "fitted", folder));
        Assert.Equal(4, Assert.IsType<GammaDelay>(copula.Marginal).Shape, 0.4);
        Assert.Equal(0.5, copula.Ar[0], 0.07);

        Assert.Equal(0, (await CliRun.WithErrors("delays", model, "--samples", "2000")).Code);
        var plots = Path.Combine(folder, "plots");
        Assert.Equal(0, (await CliRun.WithErrors("delays", model, "--samples", "2000", "--against", trace, "--out", plots)).Code);
        Assert.StartsWith("model,statistic,model_value,trace_value\nfitted,mean,", File.ReadAllText(Path.Combine(plots, "delays-vs-trace.csv")).ReplaceLineEndings("\n"));
        Assert.True(File.Exists(Path.Combine(plots, "fitted-vs-trace-histogram.png")) && File.Exists(Path.Combine(plots, "fitted-vs-trace-acf.png")));
        Assert.Equal(2, (await CliRun.WithErrors("delays", model, "--against", Path.Combine(folder, "none.csv"))).Code);
        var scenario = Path.Combine(folder, "use.hocon");
        File.WriteAllText(scenario, Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }", """
            vars { include "model.hocon" }
            simulation { domain = time, time { workers = 3, compute = ${vars.fitted},
              uplink { distribution = constant, value = 0.001 }, downlink { distribution = constant, value = 0.001 } } }
            """));
        var (code, error) = await CliRun.WithErrors("run", scenario, "--out", Path.Combine(folder, "out"), "--set", "optimizer.iterations = 50");
        Assert.True(code == 0, error);
    }

    [Fact]
    public async Task Per_worker_fits_become_overrides()
    {
        var folder = Scenarios.TempFolder();
        var model = Path.Combine(folder, "model.hocon");
        Assert.Equal(0, (await CliRun.WithErrors("fit", Trace(folder), "--workers", "per-worker", "--out", model)).Code);
        var c = new StrictConfig(HoconSyntax.Parse(File.ReadAllText(model), "model.hocon"), "model.hocon");
        var perWorker = Assert.IsType<PerWorkerModel>(DelayModelReader.Read(c, "fitted", folder));
        Assert.Equal([0, 1, 2], perWorker.Overrides.Keys.Order());
    }

    [Fact]
    public void The_comparison_with_a_trace_matches_a_model_drawn_like_it()
    {
        var model = new CopulaModel(new GammaDelay(4, 0.0025), [0.5]);
        var streams = model.Open(8, "trace", 2);
        var trace = Enumerable.Range(0, 2).ToDictionary(w => w, w => Enumerable.Range(0, 20_000).Select(k => streams[w].Next(k * 0.01)).ToArray());
        var checks = DelayCheck.Run(model, "m", 2, 20_000, 9);
        var rows = DelaySim.Host.Commands.TraceComparison.Rows(checks, trace).ToDictionary(r => r.Statistic);
        Assert.Equal(rows["mean"].Trace, rows["mean"].Model, 0.02 * rows["mean"].Trace);
        Assert.Equal(rows["acf1"].Trace, rows["acf1"].Model, 0.03);
        Assert.True(rows["ks (two-sample)"].Trace < 0.02, $"KS {rows["ks (two-sample)"].Trace}");
    }

    [Theory]
    [InlineData("nothing.csv", "trace file not found")]
    [InlineData("short.csv", "a fit needs at least 10")]
    public async Task Bad_traces_are_exit_2(string file, string message)
    {
        var folder = Scenarios.TempFolder();
        File.WriteAllText(Path.Combine(folder, "short.csv"), "worker,step,delay\n0,0,0.1\n0,1,0.2\n");
        var (code, error) = await CliRun.WithErrors("fit", Path.Combine(folder, file));
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Equal(2, (await CliRun.WithErrors("fit", Trace(folder), "--name", "Bad Name")).Code);
    }

    [Theory]
    [InlineData("project", "worker,step,delay\n0,0,0.1\n0,1,-0.2\n", "t.csv:3:")]
    [InlineData("project", "worker,step,delay\n0,0,0.1\n0,1,fast\n", "t.csv:3:")]
    [InlineData("project", "worker,step,delay\n", "no rows")]
    [InlineData("project", "", "t.csv:1: header")]
    [InlineData("long", "worker,step,delay\n,0,0.1\n", "t.csv:2: worker '' is not an integer")]
    [InlineData("long", "worker,step,delay\n0,0,0.1\n0,1\n", "t.csv:3: 2 fields where the header has 3")]
    [InlineData("wide", "0.1,0.2\n0.3,x\n", "t.csv:2: 'x' is not a number")]
    [InlineData("wide", "0.1,0.2\n0.3\n", "t.csv:2: 1 fields where the table has 2")]
    public async Task A_bad_trace_is_exit_2_naming_the_line(string format, string content, string message)
    {
        var folder = Scenarios.TempFolder();
        var path = Path.Combine(folder, "t.csv");
        File.WriteAllText(path, content);
        var (code, error) = await CliRun.WithErrors("fit", path, "--format", format);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [DataFact]
    public async Task The_shared_traces_fit_staleness_as_steps_and_cluster_times_per_worker()
    {
        var traces = Path.Combine(SharedData.Folder!, "traces");
        var folder = Scenarios.TempFolder();
        var staleness = Path.Combine(folder, "bcd.hocon");
        Assert.Equal(0, (await CliRun.WithErrors("fit", Path.Combine(traces, "async-BCD_Adaptive1_RCV1.csv.gz"), "--format", "wide", "--out", staleness)).Code);
        Assert.Contains("read as staleness steps", File.ReadAllText(staleness));
        var cluster = Path.Combine(folder, "pai.hocon");
        Assert.Equal(0, (await CliRun.WithErrors("fit", Path.Combine(traces, "pai2020-job1-minibatch.csv.gz"), "--format", "long", "--step", "time",
            "--value", "batch_time_norm", "--scale", "0.001", "--workers", "per-worker", "--out", cluster)).Code);
        var text = File.ReadAllText(cluster);
        Assert.Contains("read as continuous delays", text);
        Assert.Contains("cross-worker correlation", text);
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Matches(text, @"^# worker \d+:", System.Text.RegularExpressions.RegexOptions.Multiline).Count);
    }
}

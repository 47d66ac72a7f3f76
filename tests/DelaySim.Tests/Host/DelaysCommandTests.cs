using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

[Collection("cli")]
public class DelaysCommandTests
{
    static async Task<(int Code, string Error)> Delays(string text, params string[] extra)
    {
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "delays.hocon");
        File.WriteAllText(file, text);
        return await CliRun.WithErrors(["delays", file, "--samples", "2000", "--out", Path.Combine(folder, "out"), .. extra]);
    }

    [Theory]
    [InlineData("up { distribution = gamma, shape = 2, scale = -1 }", "up.scale: -1 is out of range")]
    [InlineData("up { distribution = exponential, mean = 0.01, correlation.ar = [1.0] }", "up.correlation.ar: AR coefficients [1] are not stationary")]
    [InlineData("up { distribution = cauchy }", "up.distribution: 'cauchy' is not one of")]
    [InlineData("up { distribution = exponential, mean = 0.01, factor { correlation = 1.0 } }", "up.factor.correlation: 1 is out of range")]
    [InlineData("up { netem = \"20ms 5ms 25% distribution wobbly\" }", "up.netem: netem spec")]
    [InlineData("up { distribution = exponential, mean = 0.01, jitter = 3 }", "up.jitter: unknown key")]
    [InlineData("up { trace = \"missing.csv\" }", "file 'missing.csv' not found")]
    [InlineData("up.regimes {\n states.a { distribution = constant, value = 1 }\n states.b { distribution = constant, value = 2 }\n transitions { a = [0.5, 0.6], b = [1, 0] }\n}", "up.regimes.transitions: transitions from 'a' must be probabilities summing to 1")]
    [InlineData("up { distribution = exponential, mean = 0.01 }\nx = ${missing.key}", "delays.hocon: not valid HOCON: Unresolved substitution")]
    public async Task Bad_delay_specs_exit_with_code_2_and_name_the_key(string text, string message)
    {
        var (code, error) = await Delays(text);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task A_good_file_writes_delays_csv_with_the_documented_statistics_and_plots()
    {
        var folder = Scenarios.TempFolder();
        var file = Path.Combine(folder, "d.hocon");
        File.WriteAllText(file, "up { distribution = exponential, mean = 0.01, correlation.ar = [0.5] }");
        var output = Path.Combine(folder, "out");
        Assert.Equal(0, await Cli.RunAsync(["delays", file, "--samples", "5000", "--workers", "2", "--out", output]));
        var lines = File.ReadAllLines(Path.Combine(output, "delays.csv"));
        Assert.Equal("stream,statistic,declared,realized", lines[0]);
        var statistics = lines.Skip(1).Where(l => l.StartsWith("up/0,")).Select(l => l.Split(',')[1]).ToArray();
        Assert.Equal(["mean", "sd", "p50", "p95", "p99", "max", "acf1", "acf2", "acf3", "acf4", "acf5", "xcorr", "ks"], statistics);
        Assert.True(new FileInfo(Path.Combine(output, "up-0-histogram.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(output, "up-1-acf.png")).Length > 1000);
    }

    [Fact]
    public async Task A_NetEm_spec_is_accepted_in_place_of_a_file()
    {
        var output = Path.Combine(Scenarios.TempFolder(), "out");
        Assert.Equal(0, await Cli.RunAsync(["delays", "20ms 5ms 25% distribution pareto", "--samples", "3000", "--out", output]));
        Assert.Contains("netem,mean,0.02", File.ReadAllText(Path.Combine(output, "delays.csv")));
        Assert.Equal(2, await Cli.RunAsync(["delays", "20ms 5ms 25% distribution wobbly"]));
    }

    [Fact]
    public async Task Without_out_only_the_table_is_printed_and_nothing_is_written()
    {
        // A folder of plots named after the command, in the working directory, is what a default output would create.
        Assert.Equal(0, await Cli.RunAsync(["delays", "20ms 5ms", "--samples", "1000"]));
        Assert.False(Directory.Exists("delays"));
        Assert.False(File.Exists("delays.csv"));
    }
}

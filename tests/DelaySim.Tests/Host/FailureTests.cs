using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

[Collection("cli")]
public class FailureTests
{
    static async Task<(int Code, string Error)> Run(string scenarioText, params string[] args)
    {
        var folder = Scenarios.TempFolder();
        File.WriteAllText(Path.Combine(folder, "trace.csv"), "worker,step,delay\n0,0,0.1\n0,1,0.1\n1,0,0.2\n1,1,0.2\n");
        var file = Path.Combine(folder, "s.hocon");
        File.WriteAllText(file, scenarioText);
        return await CliRun.WithErrors(args.Length > 0 ? args : ["run", file, "--out", Path.Combine(folder, "out")]);
    }

    const string TimeDomain = """
        name = t
        problem.kind = least-squares
        data.synthetic { n = 64, n-test = 200, dimension = 8 }
        optimizer { eta = 0.05, iterations = 50 }
        simulation { domain = time, time { workers = 2, compute { distribution = constant, value = 1 }, uplink { trace = "trace.csv" } } }
        """;

    [Fact]
    public async Task An_error_inside_an_actor_ends_the_run_with_its_message_not_a_hang()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (code, error) = await Run(TimeDomain);
        Assert.Equal(2, code);
        Assert.Contains("trace.csv: worker 0 has 2 steps; the run asked for step 2", error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_trace_missing_a_worker_is_bad_input_before_the_run_starts()
    {
        var (code, error) = await Run(TimeDomain.Edit("workers = 2", "workers = 3"));
        Assert.Equal(2, code);
        Assert.Contains("trace.csv: the run has 3 workers but the trace has no rows for worker(s) 2", error);
    }

    [Theory]
    [InlineData("problem { kind = mlp }", "problem.kind = mlp needs class labels")]
    [InlineData("problem { kind = logistic }", "problem.kind = logistic needs two classes")]
    public async Task A_loss_that_does_not_fit_the_labels_is_bad_input(string problem, string message)
    {
        var (code, error) = await Run(Scenarios.Small.Edit("problem.kind = least-squares", problem));
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("run", "--engine", "warp")]
    [InlineData("run", "--nonsense")]
    [InlineData("frobnicate")]
    public async Task Command_line_mistakes_exit_with_code_2(params string[] args) =>
        Assert.Equal(2, (await Run("", args)).Code);
}

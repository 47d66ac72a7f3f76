using DelaySim.Model;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>A measured staleness sequence replayed as τ_t: read strictly, replayed exactly, the same in both engines.</summary>
public class TraceStalenessTests
{
    static string Write(string text, string name = "trace.csv")
    {
        var path = Path.Combine(Scenarios.TempFolder(), name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_wide_table_with_a_header_and_float_values_is_read_column_by_column()
    {
        var path = Write("w0,w1\n0.000000e+00,1.0\n3.000000000000000000e+00,2\n\n5,0\n");
        Assert.Equal([0, 3, 5], TraceStaleness.Read(path, 0));
        Assert.Equal([1, 2, 0], TraceStaleness.Read(path, 1));
        Assert.Equal([0, 1, 3, 2, 5, 0], TraceStaleness.Read(path, TraceStaleness.AllColumns));
        var scenario = Scenarios.Parse(Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }", $"delay {{ kind = trace, file = \"{path}\", column = all, repeat = true }}"));
        Assert.Equal(5, scenario.Delay!.Tau[0]);
    }

    [Theory]
    [InlineData("1\n-2\n", ":2: column 0 must be a whole staleness ≥ 0")]
    [InlineData("1\n2.5\n", ":2: column 0 must be a whole staleness ≥ 0")]
    [InlineData("1\nx\n", ":2: column 0 must be a whole staleness ≥ 0")]
    [InlineData("header\n", ": no staleness values")]
    public void A_bad_trace_is_an_error_naming_the_line(string text, string expected)
    {
        var path = Write(text);
        Assert.StartsWith(path + expected, Assert.Throws<BadInputException>(() => TraceStaleness.Read(path, 0)).Message);
    }

    [Fact]
    public void Tau_t_is_the_trace_clamped_at_the_step_and_wraps_only_when_asked()
    {
        var trace = new TraceStaleness("t.csv", 0, [3, 0, 5, 1], Repeat: false);
        Assert.Equal(5, trace.Max);
        Assert.Equal(2.25, trace.Mean);
        var sequence = trace.Start(1, "delay");
        Assert.Equal([3, 0, 5, 1], Enumerable.Range(0, 4).Select(t => sequence.Next(t)));
        Assert.Throws<InvalidOperationException>(() => sequence.Next(4));
        Assert.Equal(3, (trace with { Repeat = true }).Start(1, "delay").Next(4));
        // Step 0 has no older version and step 2 has only two: the planner clamps, as for every staleness law.
        var spec = SpecBuilder.Fixed(0).Build() with { Staleness = trace, Iterations = 4, Workers = 6 };
        var result = DirectEngine.Run(Replicate.Prepare(spec, 5), 0);
        Assert.Equal([2L, 1, 1], result.StalenessCounts.Take(3)); // τ = min(3, 0), 0, min(5, 2), 1
    }

    [DataFact]
    public void The_shipped_asynchronous_run_replays_with_its_measured_mean()
    {
        var values = TraceStaleness.Read(SharedData.PathOf("traces/async-BCD_sun_MNIST.csv.gz"), 0);
        Assert.Equal(3001, values.Length);
        Assert.InRange(values.Average(), 6.5, 7.5); // the README's mean 7.0
    }
}

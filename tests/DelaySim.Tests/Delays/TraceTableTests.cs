using DelaySim.Model;
using DelaySim.Model.Delays;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Delays;

/// <summary>Measured tables as published, read into step-indexed traces.</summary>
public class TraceTableTests
{
    static string Write(string text)
    {
        var path = Path.Combine(Scenarios.TempFolder(), "trace.csv");
        File.WriteAllText(path, text);
        return path;
    }

    static double[] Replay(DelayModel model, int worker, int workers, int steps)
    {
        var stream = model.Open(1, "compute", workers)[worker];
        return Enumerable.Range(0, steps).Select(t => stream.Next(t)).ToArray();
    }

    static void Near(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void A_long_table_with_named_columns_is_scaled_offset_and_held_for_resample_steps()
    {
        // The cluster trace's shape: an unnamed index column, then worker, gpu, time (every 10 iterations), value.
        var path = Write(",worker,gpu,time,batch_time_norm\n0,0,25,1,400\n1,1,25,1,500\n2,0,25,11,600\n3,1,25,11,700\n");
        var model = new TraceTable(TraceFormat.Long, "worker", "time", "batch_time_norm", Scale: 0.001, Offset: 0.5, Resample: 2).Read(path);
        Near([0.9, 0.9, 1.1, 1.1], Replay(model, 0, 2, 4));
        Near([1.0, 1.0, 1.2, 1.2], Replay(model, 1, 2, 4));
        Assert.Throws<BadInputException>(() => Replay(model, 0, 2, 5)); // past the end: an error, not a wrap-around
    }

    [Fact]
    public void A_wide_table_has_a_column_per_worker_and_a_single_column_serves_every_worker()
    {
        var wide = new TraceTable(TraceFormat.Wide).Read(Write("3.0e+00,1\n4,2\n"));
        Assert.Equal([3.0, 4], Replay(wide, 0, 2, 2));
        Assert.Equal([1.0, 2], Replay(wide, 1, 2, 2));
        var single = new TraceTable(TraceFormat.Wide).Read(Write("delay\n5\n6\n"));
        Assert.Equal([5.0, 6], Replay(single, 3, 4, 2));
    }

    [Theory]
    [InlineData(TraceFormat.Long, "worker,step,ms\n0,0,1\n", "trace.csv:1: no column 'delay' for the value")]
    [InlineData(TraceFormat.Long, "worker,step,delay\n0,0,1\n0,0,2\n", "trace.csv:3: worker 0's steps must increase")]
    [InlineData(TraceFormat.Long, "worker,step,delay\n0,0,x\n", "trace.csv:2: 'x' is not a number")]
    [InlineData(TraceFormat.Long, "worker,step,delay\n0,0,-1\n", "trace.csv:2: -1 × scale 1 + offset 0 = -1 is not a delay ≥ 0")]
    [InlineData(TraceFormat.Wide, "1,2\n3\n", "trace.csv:2: 1 fields where the table has 2")]
    public void A_bad_table_is_an_error_naming_the_line(TraceFormat format, string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<BadInputException>(() => new TraceTable(format).Read(Write(text))).Message);

    [DataFact]
    public void The_cluster_trace_reads_as_ten_workers_of_three_hundred_samples()
    {
        var model = new TraceTable(TraceFormat.Long, "worker", "time", "batch_time_norm", Resample: 10).Read(SharedData.PathOf("traces/pai2020-job1-minibatch.csv.gz"));
        Assert.Equal(10, model.Rows.Count);
        Assert.All(model.Rows.Values, rows => Assert.Equal(3000, rows.Length));
    }
}

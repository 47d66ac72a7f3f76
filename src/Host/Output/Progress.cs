using System.Diagnostics;
using DelaySim.Host.Pipeline;
using Serilog;
using Spectre.Console;

namespace DelaySim.Host.Output;

/// <summary>
/// Progress of a run: a live Spectre.Console bar (cells done, trajectory updates/s, time left) when standard output is a
/// terminal; one log line per finished cell otherwise (CI, pipes, files, a submitted run).
/// </summary>
internal static class Progress
{
    /// <param name="lines">Log lines even on a terminal (a submitted run, whose log goes to its client).</param>
    public static async Task<T> Track<T>(int cells, Func<Action<CellOutcome>, Task<T>> run, bool lines = false)
    {
        var watch = Stopwatch.StartNew();
        var done = 0;
        var updates = 0.0;
        string Rate() => $"{updates / Math.Max(watch.Elapsed.TotalSeconds, 1e-9) / 1e3:0} k updates/s";

        if (lines || Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is not null)
            return await run(o =>
            {
                var n = Interlocked.Increment(ref done);
                if (o.Resumed) Log.Information("[{Done}/{Total}] Cell {Cell} already finished in this folder: resumed", n, cells, o.Cell.Name);
                else Log.Information("[{Done}/{Total}] Cell {Cell} done in {Seconds:0.0} s: gap {Gap:0.####}", n, cells, o.Cell.Name, o.Elapsed.TotalSeconds, o.Summary.GenGap);
            });

        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"0/{cells} cells", maxValue: cells);
                result = await run(o =>
                {
                    lock (task)
                    {
                        done++;
                        if (!o.Resumed) updates += o.Replicates.Sum(r => (double)r.Final.Iteration) * (o.Cell.Spec.Twins + 1);
                        task.Increment(1);
                        task.Description = $"{done}/{cells} cells, {Rate()}";
                    }
                });
            });
        return result;
    }
}

using System.Diagnostics;
using DelaySim.Host.Pipeline;
using Serilog;

namespace DelaySim.Host.Plots;

/// <summary>
/// The figures of a run, drawn here or, in part, elsewhere. A cluster run ends on the coordinating node, which writes
/// the results files and draws every plot while the other nodes idle; the plots were most of that (about 80 of 110 ms
/// on the 14-cell sweep). When the executor offers another node (<see cref="ICellExecutor.DrawElsewhere"/>), that node
/// draws the later half of <see cref="RunPlots.Figures"/> from the same cells while this one draws the first half.
/// Figures that do not come back in time (as long again as this node took for its half, at least
/// <see cref="MinimumWait"/>), or come back wrong, are drawn here: the files are the same either way, since the same
/// build draws the same bytes from the same cells (fonts permitting, docs/CLUSTER.md).
/// </summary>
internal static class FigureDrawing
{
    public static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(100);

    /// <summary>Draws every figure of <paramref name="outcomes"/> into <c>plots/</c>; returns the files written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string folder, IReadOnlyList<CellOutcome> outcomes,
        Func<IReadOnlyList<int>, Task<IReadOnlyDictionary<int, DrawnFigure>>?>? elsewhere)
    {
        var figures = RunPlots.Figures(outcomes);
        var half = figures.Count / 2;
        int[] away = [.. Enumerable.Range(half, figures.Count - half)];
        var remote = half > 0 ? elsewhere?.Invoke(away) : null;
        var written = new List<string>();
        var watch = Stopwatch.StartNew();
        foreach (var figure in remote is null ? figures : figures.Take(half)) written.AddRange(RunPlots.Save(folder, RunPlots.Draw(figure)));
        if (remote is null) return written;

        var wait = TimeSpan.FromTicks(Math.Max(MinimumWait.Ticks, watch.Elapsed.Ticks / half * away.Length));
        var received = await Received(remote, wait);
        foreach (var i in away)
        {
            // A figure of another name would be another run's or another build's: never written under this name.
            var drawn = received?.GetValueOrDefault(i) is { } d && d.Name == figures[i].Name ? d : RunPlots.Draw(figures[i]);
            written.AddRange(RunPlots.Save(folder, drawn));
        }
        if (received is not null) Log.Debug("Figures {Figures} were drawn on another node", string.Join(", ", away.Select(i => figures[i].Name)));
        return written;
    }

    static async Task<IReadOnlyDictionary<int, DrawnFigure>?> Received(Task<IReadOnlyDictionary<int, DrawnFigure>> remote, TimeSpan wait)
    {
        try
        {
            return await remote.WaitAsync(wait);
        }
        catch (Exception e)
        {
            _ = remote.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // a late failure is not news
            Log.Debug("Drawing every figure here: {Reason}", e is TimeoutException ? $"the other node's did not come back within {wait.TotalMilliseconds:0} ms" : e.GetBaseException().Message);
            return null;
        }
    }
}

using System.Diagnostics;
using DelaySim.Host.Pipeline;
using Serilog;

namespace DelaySim.Host.Plots;

/// <summary>
/// The figures of a run, drawn here or, in part, elsewhere. A cluster run ends on the coordinating node, which writes
/// the results files and draws every plot while the other nodes idle; the plots were most of that (about 80 of 110 ms
/// on the 14-cell sweep). A submitted run's executor has another node draw the later half of
/// <see cref="RunPlots.Figures"/> (<see cref="Elsewhere"/>; <see cref="ICellExecutor.FiguresDrawnElsewhere"/>) from the
/// same cells while this one draws the first half. Figures that do not come back in time (as long as this node's own
/// figures took, per figure, times the number asked for; at least <see cref="MinimumWait"/>), or come back under another
/// name, are drawn here: the files are the same either way, since the same build draws the same bytes from the same
/// cells (fonts permitting, docs/CLUSTER.md).
/// </summary>
internal static class FigureDrawing
{
    /// <summary>
    /// A helper's first figures after it started pay the compilation of the whole drawing path (a JIT build), which
    /// missed a 100 ms wait about once in ten test runs; only a helper that dies or hangs costs this wait (one that
    /// fails says so at once).
    /// </summary>
    public static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(250);

    /// <summary>The figures, of <paramref name="count"/>, that another node draws: the later half (the first goes with the results files).</summary>
    public static IEnumerable<int> Elsewhere(int count) => Enumerable.Range(count / 2, count - count / 2);

    /// <summary>Draws every figure of <paramref name="outcomes"/> into <c>plots/</c>; returns the files written.</summary>
    /// <param name="elsewhere">The later half, drawn elsewhere, by index (null: none is).</param>
    public static async Task<IReadOnlyList<string>> WriteAsync(string folder, IReadOnlyList<CellOutcome> outcomes, Task<IReadOnlyDictionary<int, DrawnFigure>>? elsewhere)
    {
        var figures = RunPlots.Figures(outcomes);
        var away = Elsewhere(figures.Count).ToArray();
        var here = Math.Max(1, figures.Count - away.Length); // there are always two figures at least (gap and losses)
        var written = new List<string>();
        var watch = Stopwatch.StartNew();
        foreach (var figure in elsewhere is null ? figures : figures.Take(here)) written.AddRange(RunPlots.Save(folder, RunPlots.Draw(figure)));
        if (elsewhere is null) return written;

        var wait = TimeSpan.FromTicks(Math.Max(MinimumWait.Ticks, watch.Elapsed.Ticks / here * away.Length));
        var received = await Received(elsewhere, wait);
        var used = new List<string>();
        foreach (var i in away)
        {
            // A figure of another name would be another run's or another build's: never written under this name.
            var came = received?.GetValueOrDefault(i) is { } d && d.Name == figures[i].Name ? d : null;
            if (came is not null) used.Add(came.Name);
            written.AddRange(RunPlots.Save(folder, came ?? RunPlots.Draw(figures[i])));
        }
        if (used.Count < away.Length && received is not null)
            Log.Information("{Count} of the {Asked} figures drawn on another node came back wrong and were drawn here", away.Length - used.Count, away.Length);
        Log.Debug("Figures drawn on another node: {Figures}", used.Count > 0 ? string.Join(", ", used) : "none");
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
            Log.Information("The figures asked of another node are drawn here: {Reason}",
                e is TimeoutException ? $"they did not come back within {wait.TotalMilliseconds:0} ms" : e.GetBaseException().Message);
            return null;
        }
    }
}

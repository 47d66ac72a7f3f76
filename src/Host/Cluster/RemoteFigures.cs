using Akka.Actor;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Plots;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Cluster;

/// <summary>
/// Figures of a cluster run drawn on another node (<see cref="FigureDrawing"/>): the asking side (an executor, through
/// its coordinator, which knows the cells and an idle runner) and the drawing side (a runner).
/// </summary>
internal static class RemoteFigures
{
    /// <summary>Coordinator-local: have figures <paramref name="Indices"/> of run <paramref name="RunId"/> drawn on another node.</summary>
    public sealed record DrawElsewhere(string RunId, int[] Indices);

    /// <summary>
    /// The cells a coordinator sends are at most this many characters of JSON in all: the message must fit one of
    /// remoting's frames (config/akka.hocon: 16 MB), and its strings grow when escaped.
    /// </summary>
    public const long MaxCellJson = 8_000_000;

    /// <summary>The figures drawn elsewhere, by index; faults when the coordinator or the runner says they are not.</summary>
    public static async Task<IReadOnlyDictionary<int, DrawnFigure>> AskAsync(IActorRef coordinator, string runId, IReadOnlyList<int> indices)
    {
        // The asker gives up long before this (FigureDrawing); the timeout only frees the temporary actor.
        var answer = await coordinator.Ask<IClusterMessage>(new DrawElsewhere(runId, [.. indices]), TimeSpan.FromMinutes(1));
        return answer switch
        {
            FiguresDrawn drawn when drawn.RunId == runId && drawn.Indices.Length == drawn.Figures.Length =>
                drawn.Indices.Zip(drawn.Figures).ToDictionary(p => p.First, p => p.Second),
            FiguresFailed failed => throw new InvalidOperationException(failed.Error),
            _ => throw new InvalidOperationException($"unexpected answer {answer.GetType().Name} for run {runId}"),
        };
    }

    /// <summary>The runner's side: the run's cells rebuilt from their JSON, and the figures asked for drawn from them.</summary>
    /// <param name="plan">The run's plan when this runner still holds it; else it is built from the scenario.</param>
    public static FiguresDrawn Draw(DrawFigures request, IReadOnlyList<Cell>? plan)
    {
        var cells = plan ?? CellPlan.Build(ScenarioReader.Parse(request.ScenarioText, request.Origin, request.BaseDirectory) with { Format = request.Format });
        if (cells.Count != request.CellJson.Length)
            throw new InvalidOperationException($"the run has {cells.Count} cells here but {request.CellJson.Length} at the coordinator");
        var outcomes = cells.Select((cell, i) => CellOutcome.Of(new CellRun(i, cell, CellStore.Deserialize(request.CellJson[i], cell.Name), TimeSpan.Zero))).ToArray();
        var figures = RunPlots.Figures(outcomes);
        var asked = request.Figures.Where(i => i >= 0 && i < figures.Count).Distinct().ToArray();
        return new FiguresDrawn(request.RunId, asked, [.. asked.Select(i => RunPlots.Draw(figures[i]))]);
    }
}

using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Plots;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Cluster;

/// <summary>
/// Figures of a submitted cluster run drawn on another node (<see cref="FigureDrawing"/>): the coordinator sends each
/// cell to one runner on another node as it is stored (<see cref="FigureCell"/>), and once every cell is in, that runner
/// draws the later half of the figures (<see cref="DrawFigures"/>).
/// </summary>
internal static class RemoteFigures
{
    /// <summary>
    /// A cell of more characters of JSON is not sent: its message must fit one of remoting's frames (config/akka.hocon:
    /// 16 MB), and JSON inside JSON grows when escaped (a quote takes six bytes).
    /// </summary>
    public const int MaxCellChars = 2_000_000;

    /// <summary>The runner's side: the run's cells rebuilt from their JSON, and the later half of their figures drawn.</summary>
    /// <param name="plan">The run's plan when this runner still holds it; else it is built from the scenario.</param>
    /// <param name="cells">The cells received, by index: file JSON and λ_max.</param>
    public static FiguresDrawn Draw(DrawFigures request, IReadOnlyList<Cell>? plan, IReadOnlyDictionary<int, (string Json, double LambdaMax)> cells)
    {
        var plannedCells = plan ?? CellPlan.Build(ScenarioReader.Parse(request.ScenarioText, request.Origin, request.BaseDirectory) with { Format = request.Format });
        if (plannedCells.Count != request.Cells || cells.Count != request.Cells)
            throw new InvalidOperationException($"the run has {plannedCells.Count} cells here, {request.Cells} at the coordinator, and {cells.Count} were received");
        var outcomes = plannedCells.Select((cell, i) =>
            CellOutcome.Of(new CellRun(i, cell, CellStore.Deserialize(cells[i].Json, cell.Name), TimeSpan.Zero), cells[i].LambdaMax)).ToArray();
        var figures = RunPlots.Figures(outcomes);
        var away = FigureDrawing.Elsewhere(figures.Count).ToArray();
        return new FiguresDrawn(request.RunId, away, [.. away.Select(i => RunPlots.Draw(figures[i]))]);
    }
}

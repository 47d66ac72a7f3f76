using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Plots;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Cluster;

/// <summary>
/// Figures of a submitted cluster run drawn on another node (<see cref="FigureDrawing"/>): the coordinator sends the
/// cells (<see cref="DrawFigures"/>) the moment the last one is in, and a runner draws the later half of the figures.
/// </summary>
internal static class RemoteFigures
{
    /// <summary>
    /// The cells a coordinator sends are at most this many characters of JSON in all: the message must fit one of
    /// remoting's frames (config/akka.hocon: 16 MB), and its strings grow when escaped.
    /// </summary>
    public const long MaxCellJson = 8_000_000;

    /// <summary>The runner's side: the run's cells rebuilt from their JSON, and the later half of their figures drawn.</summary>
    /// <param name="plan">The run's plan when this runner still holds it; else it is built from the scenario.</param>
    public static FiguresDrawn Draw(DrawFigures request, IReadOnlyList<Cell>? plan)
    {
        var cells = plan ?? CellPlan.Build(ScenarioReader.Parse(request.ScenarioText, request.Origin, request.BaseDirectory) with { Format = request.Format });
        if (cells.Count != request.CellJson.Length || cells.Count != request.LambdaMax.Length)
            throw new InvalidOperationException($"the run has {cells.Count} cells here but {request.CellJson.Length} at the coordinator");
        var outcomes = cells.Select((cell, i) =>
            CellOutcome.Of(new CellRun(i, cell, CellStore.Deserialize(request.CellJson[i], cell.Name), TimeSpan.Zero), request.LambdaMax[i])).ToArray();
        var figures = RunPlots.Figures(outcomes);
        var away = FigureDrawing.Elsewhere(figures.Count).ToArray();
        return new FiguresDrawn(request.RunId, away, [.. away.Select(i => RunPlots.Draw(figures[i]))]);
    }
}

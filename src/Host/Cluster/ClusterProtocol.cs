namespace DelaySim.Host.Cluster;

/// <summary>Every message that crosses the cluster; bound to <see cref="ClusterSerializer"/>, the only one it knows.</summary>
internal interface IClusterMessage;

/// <summary>
/// Runner → coordinator: "I have a free slot, give me a cell". <paramref name="Queued"/>: every lane of the runner is
/// busy, so the cell would wait for one (it is fetched ahead, so that no lane idles while a cell ends and the next
/// one travels).
/// </summary>
internal sealed record RequestWork(string Runner, bool Queued = false) : IClusterMessage;

/// <summary>
/// Coordinator → runner: run part <paramref name="Part"/> of <paramref name="Parts"/> of cell <paramref name="CellIndex"/>
/// (its seeds <see cref="WorkQueue.Seeds"/>) of the scenario whose exact text is <paramref name="ScenarioText"/> (relative
/// paths resolve against <paramref name="BaseDirectory"/> on the runner, so data files must exist at the same paths on
/// every node).
/// </summary>
internal sealed record RunCell(string RunId, string ScenarioText, string Origin, string BaseDirectory, int CellIndex, string CellName, string Engine, int Format,
    int Part = 0, int Parts = 1) : IClusterMessage;

/// <summary>
/// Runner → coordinator: the finished part of a cell, its replicates in the run folder's cell-file JSON, and each
/// replicate's <see cref="Model.Engine.ReplicateResult.StabilityTwinVariance"/>, which the file does not keep (the
/// advice on how many twins would help is then the same as a local run's).
/// </summary>
internal sealed record CellDone(string RunId, int CellIndex, string CellName, string Json, string Runner, int Part = 0, double[]? TwinVariances = null) : IClusterMessage
{
    /// <summary>
    /// The replicates themselves, never sent over the network: a coordinator in the runner's process takes them as
    /// they are instead of reading <see cref="Json"/> back (the JSON keeps every bit of every value the outputs use;
    /// these also hold the final parameters, which a local run keeps too).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Model.Engine.ReplicateResult>? InProcess { get; init; }
}

/// <summary>Runner → coordinator: the cell failed; <paramref name="BadInput"/> for errors the user can fix.</summary>
internal sealed record CellFailed(string RunId, int CellIndex, string Error, bool BadInput, string Runner) : IClusterMessage;

/// <summary>Coordinator → runner: nothing to do now (the runner asks again after a pause).</summary>
internal sealed record NoWork(string RunId) : IClusterMessage;

/// <summary>
/// Coordinator → every runner: a run has cells to give. A runner that has paused after every coordinator said
/// <see cref="NoWork"/> asks this one at once instead of at the end of its pause.
/// </summary>
internal sealed record WorkAvailable(string RunId) : IClusterMessage;

/// <summary>
/// Coordinator → the runner on another node that draws half of a submitted run's figures (<see cref="RemoteFigures"/>):
/// a cell as stored (its file JSON) with its λ_max, sent as each cell is stored.
/// </summary>
internal sealed record FigureCell(string RunId, int CellIndex, string Json, double LambdaMax) : IClusterMessage;

/// <summary>
/// Coordinator → that runner, the moment every cell is in: draw the later half (<see cref="Plots.FigureDrawing.Elsewhere"/>)
/// of <see cref="Plots.RunPlots.Figures"/> of the <paramref name="Cells"/> cells sent, and send them back. The scenario
/// comes along for a runner that no longer holds the run's plan.
/// </summary>
internal sealed record DrawFigures(string RunId, string ScenarioText, string Origin, string BaseDirectory, int Format, int Cells) : IClusterMessage;

/// <summary>Runner → coordinator: figures <paramref name="Indices"/>, drawn.</summary>
internal sealed record FiguresDrawn(string RunId, int[] Indices, Plots.DrawnFigure[] Figures) : IClusterMessage;

/// <summary>Runner → coordinator: the figures could not be drawn there (the coordinating node draws them itself).</summary>
internal sealed record FiguresFailed(string RunId, string Error) : IClusterMessage;

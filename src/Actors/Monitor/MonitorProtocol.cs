using DelaySim.Model.Engine;

namespace DelaySim.Actors.Monitor;

/// <summary>The parameters of every trajectory after <paramref name="Iteration"/> updates (copies the monitor owns).</summary>
internal sealed record CheckpointReached(long Iteration, double[][] Parameters);

/// <summary>
/// The run is over: the final parameters, the staleness of every applied update counted by value, and (time domain)
/// each worker's staleness and realized times.
/// </summary>
internal sealed record RunFinished(double[][] Parameters, long[] StalenessCounts, IReadOnlyList<DelaySim.Model.TimeDomain.WorkerStats>? Workers = null);

/// <summary>The monitor's report to the run.</summary>
internal sealed record ReplicateMeasured(ReplicateResult Result);

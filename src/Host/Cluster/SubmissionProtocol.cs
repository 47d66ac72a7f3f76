namespace DelaySim.Host.Cluster;

// The messages between `run --submit` (a process outside the cluster) and a node's submissions actor
// (`delaysim node --accept-runs`). They cross the network like the cluster's own, through ClusterSerializer.

/// <summary>
/// Client → node: run this scenario (its exact text, as <see cref="RunCell"/> carries it) into <paramref name="Folder"/>,
/// an absolute path on the node's file system. <paramref name="Width"/> is the client's terminal width, for the table.
/// </summary>
internal sealed record SubmitRun(string ScenarioText, string Origin, string BaseDirectory, string Folder, string Engine, bool Force, long? MaxMemory, int Width) : IClusterMessage;

/// <summary>Node → client: the run is queued behind <paramref name="Ahead"/> others (0: it starts now).</summary>
internal sealed record RunQueued(int Ahead) : IClusterMessage;

/// <summary>Node → client: one of the run's log lines, rendered, at Serilog level <paramref name="Level"/>.</summary>
internal sealed record RunLog(int Level, string Text) : IClusterMessage;

/// <summary>Node → client: console output of the run (the results table), to print as it is.</summary>
internal sealed record RunOutput(string Text) : IClusterMessage;

/// <summary>Node → client: the run is over, with the exit code a local run would have ended with, and its error if any.</summary>
internal sealed record RunEnded(int ExitCode, string? Error) : IClusterMessage;

/// <summary>Client → node: the client stops waiting (Ctrl-C). The run goes on; nothing more is sent to the client.</summary>
internal sealed record StopReporting(string Folder) : IClusterMessage;

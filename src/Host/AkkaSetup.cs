using Akka.Actor;
using Akka.Configuration;
using Serilog;
using Serilog.Events;

namespace DelaySim.Host;

/// <summary>Logging and the ActorSystem, set up in one place.</summary>
internal static class AkkaSetup
{
    /// <summary>config/akka.hocon as shipped (embedded in the executable).</summary>
    public static Config ShippedConfig()
    {
        using var stream = typeof(AkkaSetup).Assembly.GetManifestResourceStream("DelaySim.akka.hocon")
            ?? throw new InvalidOperationException("resource DelaySim.akka.hocon is missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>
    /// Serilog to standard error (standard output carries the results table). Akka.Remote's report of a closed
    /// connection (EndpointDisassociatedException, logged as an error and a warning) is left out: a peer that leaves
    /// normally closes its connections, and one that dies is reported by the cluster itself (unreachable, then removed)
    /// and by the runner ("Coordinator … left"). So are the warnings that a node being contacted refused the connection,
    /// while that is expected (<see cref="RefusedWhileContacting"/>). A node that runs a submitted run also sends its
    /// lines to the client.
    /// </summary>
    public static void ConfigureLogging(LogEventLevel level = LogEventLevel.Information) =>
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Filter.ByExcluding(ClosedConnection)
            .Filter.ByExcluding(RefusedWhileContacting)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
            .WriteTo.Sink(Cluster.SubmissionLog.Instance)
            .CreateLogger();

    /// <summary>
    /// Akka's warnings when a node it contacts is not listening yet (two), or a seed has not answered two join attempts
    /// (one, repeated), while that is expected (<see cref="Cluster.ClusterSetup.Contacting"/>): the node says once that it waits.
    /// </summary>
    internal static bool RefusedWhileContacting(LogEvent e) =>
        e.Level == LogEventLevel.Warning && Cluster.ClusterSetup.Contacting && e.RenderMessage() is var m
        && (m.Contains("Connection refused", StringComparison.Ordinal) || m.Contains("Tried to associate with unreachable remote address", StringComparison.Ordinal)
            || m.Contains("Couldn't join seed nodes after", StringComparison.Ordinal)); // Akka's retry notice, from the third try on

    internal static bool ClosedConnection(LogEvent e) =>
        e.Level >= LogEventLevel.Warning && (e.Exception?.GetType().Name == "EndpointDisassociatedException" || e.RenderMessage().Contains("EndpointDisassociatedException"));

    /// <summary>An ActorSystem with <paramref name="lanes"/> single-thread dispatchers built from the <c>delaysim.lane</c> template.</summary>
    public static ActorSystem CreateSystem(int lanes = 1, Config? overrides = null)
    {
        var shipped = ShippedConfig();
        var config = overrides is null ? shipped : overrides.WithFallback(shipped);
        var template = config.GetConfig("delaysim.lane");
        var body = $"type = {template.GetString("type")}, throughput = {template.GetInt("throughput")}, " +
                   $"dedicated-thread-pool.thread-count = {template.GetInt("dedicated-thread-pool.thread-count")}";
        var laneConfig = string.Join('\n', Enumerable.Range(0, lanes).Select(i => $"delaysim.{LaneName(i)} {{ {body} }}"));
        return ActorSystem.Create("delaysim", ConfigurationFactory.ParseString(laneConfig).WithFallback(config));
    }

    public static string LaneName(int lane) => $"lane-{lane}";

    /// <summary>The dispatcher id of lane <paramref name="lane"/>.</summary>
    public static string LaneDispatcher(int lane) => $"delaysim.{LaneName(lane)}";
}

using Akka.Actor;
using Akka.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

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
    /// lines to the client. Akka's error for bytes that are not Akka's on the cluster port is one warning instead
    /// (<see cref="ForeignBytes"/>).
    /// </summary>
    public static void ConfigureLogging(LogEventLevel level = LogEventLevel.Information)
    {
        var console = new LoggerConfiguration().MinimumLevel.Verbose()
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Filter.ByExcluding(ClosedConnection)
            .Filter.ByExcluding(RefusedWhileContacting)
            .WriteTo.Sink(new Rewritten(console, ForeignBytes))
            .WriteTo.Sink(Cluster.SubmissionLog.Instance)
            .CreateLogger();
    }

    sealed class Rewritten(ILogEventSink inner, Func<LogEvent, LogEvent> rewrite) : ILogEventSink
    {
        public void Emit(LogEvent e) => inner.Emit(rewrite(e));
    }

    static readonly MessageTemplate ForeignBytesNotice = new MessageTemplateParser().Parse(
        "Bytes that are not Akka's frames reached the cluster port ({Channel:l}: {Reason:l}); the connection was closed. Runs go to a node's runs port (--runs-port), not its cluster port");

    /// <summary>
    /// Akka's error, with DotNetty's stack trace, when something that does not speak Akka's protocol writes to the cluster
    /// port: the frame decoder reads its first bytes as a length of gigabytes and closes the connection (an Akka peer does
    /// not send frames over the limit: it drops such a message itself, and says so). Most likely a
    /// `run --submit` given the cluster port instead of the runs port (its client is told so); the node says it in one
    /// warning. Other events pass unchanged.
    /// </summary>
    internal static LogEvent ForeignBytes(LogEvent e)
    {
        if (e.Level != LogEventLevel.Error || e.Exception?.GetType().Name != "TooLongFrameException") return e;
        // "Error caught channel [[::ffff:127.0.0.1]:4053->[::ffff:127.0.0.1]:44332](Id=…)", its parts quoted when rendered.
        var message = e.RenderMessage().Replace("\"", "");
        var start = message.IndexOf("channel [", StringComparison.Ordinal) is var at and >= 0 ? at + "channel [".Length : 0;
        var end = message.IndexOf("](Id=", start, StringComparison.Ordinal) is var stop and >= 0 ? stop : message.Length;
        var channel = message[start..end];
        return new LogEvent(e.Timestamp, LogEventLevel.Warning, null, ForeignBytesNotice, [new LogEventProperty("Channel", new ScalarValue(channel)), new LogEventProperty("Reason", new ScalarValue(e.Exception.Message))]);
    }

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

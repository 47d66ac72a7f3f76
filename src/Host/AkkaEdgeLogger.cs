using Akka.Event;
using Serilog.Events;

namespace DelaySim.Host;

/// <summary>
/// Akka's logger for the moments its configured loggers are not running, before they start and after they stop
/// (<c>akka.stdout-logger-class</c>): the lines go through Serilog like the rest of the log, not to standard output in
/// Akka's own format. A peer that closes its connection while this node stops is expected, not an error: when two nodes
/// stopped at once, one of them printed "[ERROR] … endpointWriter] Disassociated" with a stack trace after its log had
/// closed. Such a line is written at debug level (the exception type is internal to Akka.Remote, so it is known by name).
/// </summary>
public sealed class AkkaEdgeLogger : MinimalLogger
{
    protected override void Log(object message)
    {
        if (message is not Akka.Event.LogEvent e) return;
        var level = e.Cause?.GetType().FullName == "Akka.Remote.EndpointDisassociatedException" ? LogEventLevel.Debug : e.LogLevel() switch
        {
            LogLevel.ErrorLevel => LogEventLevel.Error,
            LogLevel.WarningLevel => LogEventLevel.Warning,
            LogLevel.InfoLevel => LogEventLevel.Information,
            _ => LogEventLevel.Debug,
        };
        Serilog.Log.Write(level, e.Cause, "{Source:l}: {Message:l}", e.LogSource, e.Message);
    }
}

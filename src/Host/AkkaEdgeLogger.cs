using Serilog.Events;

namespace DelaySim.Host;

/// <summary>
/// Akka's logger for the moments its configured loggers are not running, before they start and after they stop
/// (<c>akka.stdout-logger-class</c>): the lines go through Serilog like the rest of the log, and so through its filter
/// (<see cref="AkkaSetup.ClosedConnection"/>), instead of to standard output in Akka's own format. When two nodes stopped
/// at once, one of them printed "[ERROR] … endpointWriter] Disassociated" with a stack trace there, after its log had
/// closed: the other node closing its connection, which the log leaves out everywhere else.
/// </summary>
public sealed class AkkaEdgeLogger : Akka.Event.MinimalLogger
{
    protected override void Log(object message)
    {
        if (message is not Akka.Event.LogEvent e) return;
        var level = e.LogLevel() switch
        {
            Akka.Event.LogLevel.ErrorLevel => LogEventLevel.Error,
            Akka.Event.LogLevel.WarningLevel => LogEventLevel.Warning,
            Akka.Event.LogLevel.InfoLevel => LogEventLevel.Information,
            _ => LogEventLevel.Debug,
        };
        Serilog.Log.Write(level, e.Cause, "{Source:l}: {Message:l}", e.LogSource, e.Message);
    }
}

using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace DelaySim.Host.Cluster;

/// <summary>
/// A Serilog sink that hands a submitted run's log lines to its client while the run lasts (a node runs one submitted
/// run at a time). Lines with a source context are the node's own (its runner's, Akka's) and stay on the node.
/// </summary>
internal sealed class SubmissionLog : ILogEventSink
{
    public static readonly SubmissionLog Instance = new();

    static readonly MessageTemplateTextFormatter Format = new("{Message:lj}{NewLine}{Exception}");
    volatile Action<LogEventLevel, string>? _forward;

    /// <summary>Forwards lines to <paramref name="to"/> until the result is disposed.</summary>
    public IDisposable Forward(Action<LogEventLevel, string> to)
    {
        _forward = to;
        return new Stop(this);
    }

    public void Emit(LogEvent e)
    {
        if (_forward is not { } forward || e.Properties.ContainsKey("SourceContext") || e.Properties.ContainsKey("LogSource")) return;
        var text = new StringWriter();
        Format.Format(e, text);
        forward(e.Level, text.ToString().TrimEnd());
    }

    sealed class Stop(SubmissionLog log) : IDisposable
    {
        public void Dispose() => log._forward = null;
    }
}

using Akka.Actor;
using DelaySim.Host;
using Serilog.Core;
using Serilog.Events;

namespace DelaySim.Tests.Host;

[Collection("cli")] // swaps Serilog's static logger
public class AkkaEdgeLoggerTests
{
    sealed class Collect : ILogEventSink
    {
        public readonly List<LogEvent> Events = [];
        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    [Fact]
    public void Akka_lines_outside_its_loggers_go_to_Serilog_whose_filter_leaves_out_a_peer_closing_its_connection()
    {
        var sink = new Collect();
        var previous = Serilog.Log.Logger;
        // The filter of the real log (AkkaSetup.ConfigureLogging), into a sink of our own.
        Serilog.Log.Logger = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().Filter.ByExcluding(AkkaSetup.ClosedConnection).WriteTo.Sink(sink).CreateLogger();
        try
        {
            var logger = new AkkaEdgeLogger();
            // Internal to Akka.Remote: made by reflection, from its constructor whose first parameter is the message.
            var type = typeof(Akka.Remote.RemoteTransportException).Assembly.GetType("Akka.Remote.EndpointDisassociatedException", throwOnError: true)!;
            var constructor = type.GetConstructors(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
                .First(c => c.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(string));
            var disassociated = (Exception)constructor.Invoke(constructor.GetParameters().Select((p, i) => i == 0 ? "Disassociated" : p.HasDefaultValue ? p.DefaultValue : null).ToArray());
            logger.Tell(new Akka.Event.Error(disassociated, "endpointWriter", typeof(AkkaEdgeLoggerTests), "Disassociated"));
            logger.Tell(new Akka.Event.Error(new InvalidOperationException("boom"), "somewhere", typeof(AkkaEdgeLoggerTests), "it failed"));
            logger.Tell(new Akka.Event.Warning("remoting", typeof(AkkaEdgeLoggerTests), "gated"));

            // Only this test's lines: other tests' processes in this one (a client's ActorSystem stopping) may log too.
            var mine = sink.Events.Where(e => e.Properties.TryGetValue("Source", out var source)
                && source.ToString().Trim('"') is "endpointWriter" or "somewhere" or "remoting").ToArray();
            Assert.Equal([LogEventLevel.Error, LogEventLevel.Warning], mine.Select(e => e.Level));   // no "Disassociated"
            Assert.Equal("somewhere: it failed", mine[0].RenderMessage());
            Assert.IsType<InvalidOperationException>(mine[0].Exception);
        }
        finally
        {
            Serilog.Log.Logger = previous;
        }
    }
}

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

    static LogEvent Warning(string text) =>
        new(DateTimeOffset.Now, LogEventLevel.Warning, null, new Serilog.Parsing.MessageTemplateParser().Parse(text), []);

    [Fact]
    public void While_a_node_contacts_its_seed_the_warnings_that_it_is_not_up_yet_are_left_out_and_only_then()
    {
        var retry = Warning("Couldn't join seed nodes after [3] attempts, will try again. seed-nodes=[akka.tcp://delaysim@127.0.0.1:4053]");
        var refused = Warning("Tried to associate with unreachable remote address [akka.tcp://delaysim@127.0.0.1:4053]. Connection refused");
        var other = Warning("Cluster Node [akka.tcp://delaysim@127.0.0.1:4054] - Marking node as UNREACHABLE");
        Assert.False(AkkaSetup.RefusedWhileContacting(retry));
        using (DelaySim.Host.Cluster.ClusterSetup.Contact())
        {
            Assert.True(AkkaSetup.RefusedWhileContacting(retry));
            Assert.True(AkkaSetup.RefusedWhileContacting(refused));
            Assert.False(AkkaSetup.RefusedWhileContacting(other));
        }
        Assert.False(AkkaSetup.RefusedWhileContacting(refused));
    }

    [Fact]
    public void Akkas_error_for_bytes_that_are_not_akkas_on_the_cluster_port_becomes_one_warning_and_other_errors_pass_unchanged()
    {
        var parser = new Serilog.Parsing.MessageTemplateParser();
        // As Akka logs it: the channel's parts are the template's arguments.
        var foreign = new LogEvent(DateTimeOffset.Now, LogEventLevel.Error,
            new DotNetty.Codecs.TooLongFrameException("Adjusted frame length exceeds 16000000: 2037654143 - discarded"), parser.Parse("Error caught channel [{Local}->{Remote}](Id={Id})"),
            [new LogEventProperty("Local", new ScalarValue("[::ffff:127.0.0.1]:4053")), new LogEventProperty("Remote", new ScalarValue("[::ffff:127.0.0.1]:44332")), new LogEventProperty("Id", new ScalarValue("159df316"))]);
        var notice = AkkaSetup.ForeignBytes(foreign);
        Assert.Equal(LogEventLevel.Warning, notice.Level);
        Assert.Null(notice.Exception);
        Assert.Equal("Bytes that are not Akka's frames reached the cluster port ([::ffff:127.0.0.1]:4053->[::ffff:127.0.0.1]:44332: " +
                     "Adjusted frame length exceeds 16000000: 2037654143 - discarded); the connection was closed. " +
                     "Runs go to a node's runs port (--runs-port), not its cluster port", notice.RenderMessage());

        var other = new LogEvent(DateTimeOffset.Now, LogEventLevel.Error, new InvalidOperationException("x"), parser.Parse("Error caught channel [x]"), []);
        Assert.Same(other, AkkaSetup.ForeignBytes(other));
        var warning = Warning("Adjusted frame length exceeds 16000000");
        Assert.Same(warning, AkkaSetup.ForeignBytes(warning));
    }
}

using Akka.Actor;
using Akka.Serialization;
using DelaySim.Host;
using DelaySim.Host.Cluster;

using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

public class ClusterSerializerTests
{
    sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<CellDone>(m => Sender.Tell(m with { Runner = "echoed" }));
    }

    [Fact]
    public async Task A_cell_of_several_megabytes_crosses_between_two_nodes()
    {
        var port = Ports.Free();
        var seed = $"akka.tcp://delaysim@127.0.0.1:{port}";
        var a = await ClusterSetup.StartAsync(ClusterSetup.Config("127.0.0.1", port, [seed], [ClusterSetup.RunnerRole]), 1, TimeSpan.FromSeconds(30), "a");
        var b = await ClusterSetup.StartAsync(ClusterSetup.Config("127.0.0.1", 0, [seed], [ClusterSetup.CoordinatorRole]), 1, TimeSpan.FromSeconds(30), "b");
        try
        {
            a.ActorOf(Props.Create(() => new Echo()), "echo");
            var json = new string('7', 3_000_000); // 3 MB, over 20× Akka's default 128 kB frame
            var echo = b.ActorSelection($"{seed}/user/echo");
            var reply = await echo.Ask<CellDone>(new CellDone("run", 3, "cell", json, "b"), TimeSpan.FromSeconds(30));
            Assert.Equal(("echoed", json.Length), (reply.Runner, reply.Json.Length));
        }
        finally
        {
            await Task.WhenAll(b.Terminate(), a.Terminate());
        }
    }

    [Fact]
    public async Task The_serializer_round_trips_cluster_messages_and_refuses_anything_else()
    {
        var system = AkkaSetup.CreateSystem();
        try
        {
            var serializer = (SerializerWithStringManifest)system.Serialization.FindSerializerForType(typeof(RunCell));
            Assert.IsType<ClusterSerializer>(serializer);
            var message = new RunCell("id", "text = 1", "origin", "/tmp", 2, "fixed-tau4", "actors", 2);
            Assert.Equal(message, serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message)));
            Assert.ThrowsAny<Exception>(() => serializer.FromBinary("{}"u8.ToArray(), "System.Diagnostics.Process"));
            Assert.ThrowsAny<Exception>(() => serializer.ToBinary("not a cluster message"));
            // Akka's generic JSON fallback is bound away: any other type would reach this serializer and be refused.
            Assert.IsType<ClusterSerializer>(system.Serialization.FindSerializerForType(typeof(System.Text.StringBuilder)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void Every_cluster_message_type_has_a_compiled_contract_that_round_trips()
    {
        // The contracts are generated at compile time (ClusterJson), so a message type added without one would only fail
        // when it first crossed the network.
        var types = typeof(IClusterMessage).Assembly.GetTypes()
            .Where(t => typeof(IClusterMessage).IsAssignableFrom(t) && !t.IsInterface).OrderBy(t => t.Name).ToArray();
        Assert.True(types.Length >= 18, $"found only {types.Length} message types");
        Assert.Equal(types.Select(t => t.Name), ClusterSerializer.Contracts.Keys.Order());
        var gradient = new DelaySim.Host.Live.LiveGradient(1, 7, [0.5, -0.0, double.Epsilon], [3, 4], 1, 2, 3, 4, 5, 6, 7, 8, 9);
        var serializer = new ClusterSerializer(null!);
        var back = (DelaySim.Host.Live.LiveGradient)serializer.FromBinary(serializer.ToBinary(gradient), serializer.Manifest(gradient));
        Assert.Equal(gradient.Gradient.Select(BitConverter.DoubleToInt64Bits), back.Gradient.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(gradient with { Gradient = back.Gradient, Samples = back.Samples }, back);
        Assert.Equal(gradient.Samples, back.Samples);
        // λ_max is NaN for a problem that is not a quadratic (logistic regression): it must cross as well.
        // The replicates a runner attaches for a coordinator in its own process never cross the network.
        var done = new CellDone("id", 3, "a", "{}", "runner", 1, [0.5, double.NaN]) { InProcess = [new DelaySim.Model.Engine.ReplicateResult(0, 1, [], 0, [], [])] };
        var doneBack = (CellDone)serializer.FromBinary(serializer.ToBinary(done), serializer.Manifest(done));
        Assert.Null(doneBack.InProcess);
        Assert.Equal(done.TwinVariances, doneBack.TwinVariances);
        Assert.Equal(done with { TwinVariances = null, InProcess = null }, doneBack with { TwinVariances = null });
        var cell = new FigureCell("id", 3, "{\"cell\": \"a\"}", double.NaN);
        Assert.Equal(cell, serializer.FromBinary(serializer.ToBinary(cell), serializer.Manifest(cell)));
        var drawn = new FiguresDrawn("id", [3], [new DelaySim.Host.Plots.DrawnFigure("gap-vs-tau", [137, 80, 78, 71], "<svg/>")]);
        var drawnBack = (FiguresDrawn)serializer.FromBinary(serializer.ToBinary(drawn), serializer.Manifest(drawn));
        Assert.Equal((drawn.Indices[0], drawn.Figures[0].Name, drawn.Figures[0].Svg), (drawnBack.Indices[0], drawnBack.Figures[0].Name, drawnBack.Figures[0].Svg));
        Assert.Equal(drawn.Figures[0].Png, drawnBack.Figures[0].Png);
    }
}

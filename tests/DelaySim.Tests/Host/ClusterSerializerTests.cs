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
}

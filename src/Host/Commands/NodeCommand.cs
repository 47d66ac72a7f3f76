using System.CommandLine;
using DelaySim.Host.Cluster;
using Serilog;

namespace DelaySim.Host.Commands;

/// <summary>
/// <c>delaysim node [--host H] [--port P] [--seed-nodes ADDR[,ADDR]]</c>: a runner node. It joins the cluster (its own
/// address is the seed when none is given), pulls cells from whichever coordinator appears, and runs until stopped.
/// </summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1", Description = "Address to bind (and to advertise unless --public-host)." };
        var publicHost = new Option<string?>("--public-host") { Description = "Address other machines use to reach this node (behind NAT, or when binding 0.0.0.0)." };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 4053, Description = "TCP port." };
        var seeds = new Option<string?>("--seed-nodes") { Description = "Comma-separated seed addresses, e.g. akka.tcp://delaysim@127.0.0.1:4053 (default: this node)." };
        var timeout = new Option<double>("--join-timeout") { DefaultValueFactory = _ => 30, Description = "Seconds to wait for the cluster before giving up." };
        var command = new Command("node", "Start a runner node that runs cells for cluster runs.") { host, publicHost, port, seeds, timeout };
        command.SetAction((parse, cancel) => Exit.Guard(async () =>
        {
            var h = parse.GetValue(host)!;
            var p = parse.GetValue(port);
            var seedNodes = parse.GetValue(seeds) is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [$"akka.tcp://delaysim@{parse.GetValue(publicHost) ?? h}:{p}"];
            var config = ClusterSetup.Config(h, p, seedNodes, ClusterSetup.RunnerRole, parse.GetValue(publicHost));
            var system = await ClusterSetup.StartAsync(config, Environment.ProcessorCount, TimeSpan.FromSeconds(parse.GetValue(timeout)), $"node {h}:{p}");
            system.ActorOf(RunnerActor.Props(), ClusterSetup.RunnerName);
            Log.Information("Runner node up at akka.tcp://delaysim@{Host}:{Port}; seeds {Seeds}", parse.GetValue(publicHost) ?? h, p, string.Join(", ", seedNodes));
            using var registration = cancel.Register(() => system.Terminate());
            await system.WhenTerminated;
            return Exit.Ok;
        }));
        return command;
    }
}

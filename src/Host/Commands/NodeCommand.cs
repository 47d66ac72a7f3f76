using System.CommandLine;
using DelaySim.Host.Cluster;
using Serilog;

namespace DelaySim.Host.Commands;

/// <summary>
/// <c>delaysim node [--host H] [--port P] [--seed-nodes ADDR[,ADDR]] [--accept-runs [--runs-port R]]</c>: a runner
/// node. It joins the cluster (its own address is the seed when none is given), pulls cells from whichever coordinator
/// appears, and runs until stopped. With <c>--accept-runs</c> it is also a coordinator for runs handed to it by
/// <c>run --submit</c>, which reach it on the runs port (<see cref="SubmissionDoor"/>).
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
        var acceptRuns = new Option<bool>("--accept-runs") { Description = "Also take whole runs from `delaysim run --submit`: this node coordinates them and writes their run folders on this machine, at the paths the clients give." };
        var runsPort = new Option<int>("--runs-port") { DefaultValueFactory = _ => SubmissionWire.DefaultPort, Description = "With --accept-runs: the TCP port where `delaysim run --submit HOST:PORT` hands runs over (0 = any free port; the node logs it)." };
        var command = new Command("node", "Start a runner node that runs cells for cluster runs.") { host, publicHost, port, seeds, timeout, acceptRuns, runsPort };
        command.Validators.Add(result =>
        {
            if (result.GetResult(runsPort) is { Implicit: false } && !result.GetValue(acceptRuns)) result.AddError("--runs-port needs --accept-runs");
        });
        command.SetAction(parse => Exit.Guard(async () =>
        {
            var h = parse.GetValue(host)!;
            var p = parse.GetValue(port);
            var seedNodes = parse.GetValue(seeds) is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [$"akka.tcp://delaysim@{parse.GetValue(publicHost) ?? h}:{p}"];
            var accepts = parse.GetValue(acceptRuns);
            string[] roles = accepts ? [ClusterSetup.RunnerRole, ClusterSetup.CoordinatorRole] : [ClusterSetup.RunnerRole];
            var config = ClusterSetup.Config(h, p, seedNodes, roles, parse.GetValue(publicHost));
            // Bound before the node joins, so that a port in use stops it before any coordinator counts on it.
            using var door = accepts ? SubmissionDoor.Bind(h, parse.GetValue(runsPort)) : null;
            // Ctrl-C or SIGTERM, from here on: stop joining, or leave the cluster, and exit 0.
            var stop = Termination.Handle();
            // The standing coordinator exists before the node is Up, so no runner's first request is lost.
            Akka.Actor.ActorSystem system;
            try
            {
                system = await ClusterSetup.StartAsync(config, Environment.ProcessorCount, TimeSpan.FromSeconds(parse.GetValue(timeout)), $"node {h}:{p}",
                    started: door is null ? null : s => door.Open(s.ActorOf(SubmissionsActor.Props(s.ActorOf(CoordinatorActor.Props(standing: true), ClusterSetup.CoordinatorName)), "submissions")),
                    stop: stop);
            }
            catch (OperationCanceledException)
            {
                Log.Information("Node {Host}:{Port} stopped before it joined the cluster", h, p);
                return Exit.Ok;
            }
            system.ActorOf(RunnerActor.Props(), ClusterSetup.RunnerName);
            Log.Information("Runner node up at akka.tcp://delaysim@{Host}:{Port}; seeds {Seeds}{Accepts}", parse.GetValue(publicHost) ?? h, p, string.Join(", ", seedNodes),
                door is null ? "" : $"; takes runs at {RunsAddress(parse.GetValue(publicHost) ?? h, door.Port)} (`delaysim run --submit {RunsAddress(parse.GetValue(publicHost) ?? h, door.Port)}`)");
            using var registration = stop.Register(() => system.Terminate());
            await system.WhenTerminated;
            return Exit.Ok;
        }));
        return command;
    }

    /// <summary>HOST:PORT as <c>run --submit</c> takes it: an IPv6 address in brackets.</summary>
    static string RunsAddress(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}

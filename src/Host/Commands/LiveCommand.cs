using System.CommandLine;
using DelaySim.Host.Live;

namespace DelaySim.Host.Commands;

/// <summary>
/// <c>delaysim live FILE --cluster ADDR [--out DIR] [--nodes N] [--port P] [--host H] [--public-host H]</c>: train one replicate of a
/// time-domain scenario for real, its workers on the cluster's runner nodes, and record it for replay.
/// </summary>
internal static class LiveCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A time-domain scenario (HOCON), optionally with a live { time-scale, inject, max-wall } block." };
        var cluster = new Option<string>("--cluster") { Required = true, Description = "Seed address of the cluster whose runner nodes host the workers (akka.tcp://delaysim@HOST:PORT)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/<name>-live-<UTC start time>); must be new or empty." };
        var nodes = new Option<int>("--nodes") { DefaultValueFactory = _ => 1, Description = "Runner nodes to wait for before the workers are placed (worker m goes to node m mod N)." };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 0, Description = "This coordinator's TCP port (0 = any free port)." };
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1", Description = "Address to bind (and to advertise unless --public-host)." };
        var publicHost = new Option<string?>("--public-host") { Description = "Address the runner nodes use to reach this coordinator (behind NAT, or when binding 0.0.0.0)." };
        var timeout = new Option<double>("--join-timeout") { DefaultValueFactory = _ => 60, Description = "Seconds to wait for the cluster, then again for the runner nodes and their workers." };
        var set = new Option<string[]>("--set") { Description = "Override a scenario key (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("live", "Train a time-domain scenario for real on the cluster's runner nodes and record it (trace.csv, replay.hocon).")
            { file, cluster, output, nodes, port, host, publicHost, timeout, set };
        command.SetAction((parse, _) => Exit.Guard(() =>
        {
            if (parse.GetValue(nodes) < 1) throw new Model.BadInputException($"--nodes {parse.GetValue(nodes)}: expected at least 1");
            if (!(parse.GetValue(timeout) > 0) || !double.IsFinite(parse.GetValue(timeout)))
                throw new Model.BadInputException($"--join-timeout {parse.GetValue(timeout)}: expected a number of seconds above 0");
            return LiveRun.RunAsync(parse.GetValue(file)!, parse.GetValue(output), parse.GetValue(set),
                new LiveOptions(parse.GetValue(cluster)!, parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(nodes), TimeSpan.FromSeconds(parse.GetValue(timeout)), parse.GetValue(publicHost)));
        }));
        return command;
    }
}

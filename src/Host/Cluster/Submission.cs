using System.Net.Sockets;
using DelaySim.Host.Commands;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using Serilog;
using Serilog.Events;

namespace DelaySim.Host.Cluster;

/// <summary>
/// <c>run --submit HOST[:PORT]</c>: hands the whole run to a node started with <c>--accept-runs</c> (its
/// <see cref="SubmissionDoor"/>) and waits for it, printing its log and table here. This process starts no ActorSystem
/// and binds no port: one TCP connection carries the run there and its log, table and exit code back. The run folder is
/// the one a local run would write, byte for byte, but the node writes it, at the folder's path on its own file system.
/// </summary>
internal static class Submission
{
    /// <param name="read">Reads the scenario and names the folder, while the connection is made.</param>
    /// <param name="cancel">Ctrl-C: stop waiting. The run goes on at the node, which writes the folder all the same.</param>
    public static async Task<int> RunAsync(Func<(Scenario Scenario, string Folder)> read, EngineKind engine, bool force, long? maxMemory, string address,
        CancellationToken cancel = default)
    {
        var (host, port) = ParseAddress(address);
        using var tcp = new TcpClient { NoDelay = true };
        // Until the node's first answer, a 5 s limit; after it the run may take as long as it takes.
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        answer.CancelAfter(AnswerWithin);
        var connecting = tcp.ConnectAsync(host, port, answer.Token).AsTask();
        SubmitRun submit;
        try
        {
            var (scenario, folder) = read();
            submit = new SubmitRun(SubmissionWire.Protocol, scenario.Text, scenario.Origin, scenario.BaseDirectory, Path.GetFullPath(folder),
                engine.ToString().ToLowerInvariant(), force, ResultsTable.Width, maxMemory);
        }
        catch
        {
            _ = connecting.ContinueWith(_ => { }, TaskScheduler.Default); // the scenario's error is the one to report
            throw;
        }
        string? node = null;
        try
        {
            await connecting;
            SubmissionClient.KeepAlive(tcp.Client);
            var stream = tcp.GetStream();
            await stream.WriteAsync(SubmissionWire.Line(submit), answer.Token);
            var lines = new LineReader(stream, SubmissionWire.MaxLine);
            while (true)
            {
                var line = await lines.ReadLineAsync(node is null ? answer.Token : cancel);
                if (line is null && node is null)
                    throw new BadInputException($"--submit {address}: no node there accepts runs (it closed the connection without an answer; is that a node's cluster port? Runs go to its runs port, {SubmissionWire.DefaultPort} unless it was given --runs-port)");
                if (line is null)
                    return Failed($"the node stopped before the run ended; the cells it finished are in {submit.Folder} on its machine (submit or run again to resume them)");
                switch (SubmissionWire.Read(line))
                {
                    case RunQueued queued when node is null:
                        node = queued.Node;
                        if (queued.Ahead > 0) Log.Information("Queued on {Node} behind {Ahead} submitted run(s)", node, queued.Ahead);
                        break;
                    case RunLog log:
                        Log.Write((LogEventLevel)log.Level, "{Line:l}", log.Text);
                        break;
                    case RunOutput output:
                        Console.Out.Write(output.Text);
                        break;
                    case RunEnded end:
                        if (end.ExitCode == Exit.BadInput) await Console.Error.WriteLineAsync($"error: {end.Error}");
                        else if (end.Error is not null) Log.Error("The run failed on {Node}: {Error}", node ?? address, end.Error);
                        if (end.ExitCode is Exit.Ok or Exit.Diverged && !File.Exists(Path.Combine(submit.Folder, "manifest.json")))
                            Log.Information("The run folder {Folder} is on {Node}'s file system, not visible here", submit.Folder, node ?? address);
                        return end.ExitCode;
                    default:
                        throw new BadInputException($"--submit {address}: the answer is not DelaySim's submission protocol (is that a node's runs port?)");
                }
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new BadInputException($"--submit {address}: no node there accepts runs (no answer within {AnswerWithin.TotalSeconds:0} s; is that a node's runs port, {SubmissionWire.DefaultPort} unless it was given --runs-port?)");
        }
        catch (OperationCanceledException)
        {
            // Closing the connection tells the node; it stops sending here, and the run goes on.
            if (node is null) Log.Warning("Stopped waiting before the node answered; if the run reached {Address}, it goes on there and writes {Folder}", address, submit.Folder);
            else Log.Warning("Stopped waiting; the run goes on at {Node}, which writes {Folder}", node, submit.Folder);
            return Exit.Stopped;
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
        {
            if (node is null)
                throw new BadInputException($"--submit {address}: no node there accepts runs ({Reason(e)}; start one with `delaysim node --accept-runs`, and check the host and the port, {SubmissionWire.DefaultPort} unless the node was given --runs-port)");
            return Failed($"the connection to the node broke before the run ended ({e.GetBaseException().Message}); the cells it finished are in {submit.Folder} on its machine (submit or run again to resume them)");
        }

        static int Failed(string why)
        {
            Log.Error("{Why}", why);
            return Exit.Failure;
        }
    }

    /// <summary>How long a node has to accept the connection, and then to answer the run, before the client says that none there takes runs.</summary>
    static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    static string Reason(Exception e) => e.GetBaseException() is SocketException s ? s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "unknown host",
        _ => s.Message,
    } : e.GetBaseException().Message;

    /// <summary>HOST[:PORT] (an IPv6 address in brackets), or a clear error; a node's cluster address is not where it takes runs.</summary>
    internal static (string Host, int Port) ParseAddress(string address)
    {
        if (address.Contains("://"))
            throw new BadInputException($"--submit {address}: expected the node's runs address HOST[:PORT] (the node logs it when it starts: `takes runs at …`), not a cluster address");
        if (!Uri.TryCreate($"tcp://{address}", UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0
            || uri.Fragment.Length > 0 || address.EndsWith('#') || address.EndsWith('?'))
            throw new BadInputException($"--submit {address}: expected HOST[:PORT], e.g. 127.0.0.1:{SubmissionWire.DefaultPort} (an IPv6 address in brackets: [::1]:{SubmissionWire.DefaultPort})");
        return (uri.DnsSafeHost, uri.IsDefaultPort || uri.Port < 0 ? SubmissionWire.DefaultPort : uri.Port);
    }
}

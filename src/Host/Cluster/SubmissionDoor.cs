using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using DelaySim.Host.Commands;
using DelaySim.Model;
using Serilog;

namespace DelaySim.Host.Cluster;

/// <summary>
/// The TCP port where a node started with <c>--accept-runs</c> takes runs from <c>run --submit</c> clients
/// (<see cref="SubmissionWire"/>'s lines). Each connection's first line is a <see cref="SubmitRun"/>, handed to the
/// node's <see cref="SubmissionsActor"/>; the connection then carries the run's log, table and exit code back, and a
/// client that hangs up early stops hearing them (the run goes on).
/// </summary>
internal sealed class SubmissionDoor : IDisposable
{
    static ILogger Logger => Log.ForContext<SubmissionDoor>(); // the node's own lines, never sent to a run's client

    readonly TcpListener _listener;
    volatile bool _stopped;

    SubmissionDoor(TcpListener listener) => _listener = listener;

    /// <summary>How long a connection may take to send its run before the node drops it.</summary>
    static readonly TimeSpan FirstLineWithin = TimeSpan.FromSeconds(30);

    /// <summary>The port, bound now so that a port in use fails the node before it joins the cluster.</summary>
    public static SubmissionDoor Bind(string host, int port)
    {
        var address = host is "0.0.0.0" or "*" ? IPAddress.Any
            : IPAddress.TryParse(host, out var ip) ? ip
            : Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily != AddressFamily.InterNetwork).First();
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new BadInputException(e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"--runs-port {port}: in use on {host} (another node that accepts runs?); give another --runs-port"
                : $"--runs-port {port} on {host}: cannot listen ({e.Message})");
        }
        return new SubmissionDoor(listener);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>From now on, hands each connection's run to <paramref name="submissions"/>.</summary>
    public void Open(IActorRef submissions) => _ = Task.Run(() => AcceptAll(submissions));

    async Task AcceptAll(IActorRef submissions)
    {
        while (!_stopped)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                if (_stopped) return; // the node stops
                // A connection reset before it was accepted, or no file descriptor left: the door stays open.
                Logger.Warning("The runs port could not accept a connection ({Why}); still listening", e.Message);
                await Task.Delay(100);
                continue;
            }
            _ = Task.Run(() => Serve(tcp, submissions));
        }
    }

    static async Task Serve(TcpClient tcp, IActorRef submissions)
    {
        using var client = new SubmissionClient(tcp);
        var reader = new LineReader(client.Stream, SubmissionWire.MaxLine);
        using var time = new CancellationTokenSource(FirstLineWithin);
        try
        {
            var line = await reader.ReadLineAsync(time.Token);
            if (line is null) return; // connected and closed (a port probe): nothing to say
            switch (SubmissionWire.Read(line, out var error))
            {
                case SubmitRun { Protocol: SubmissionWire.Protocol } run:
                    client.Folder = run.Folder;
                    submissions.Tell(new SubmissionsActor.Submitted(run, client));
                    break;
                case SubmitRun run:
                    Logger.Warning("A client at {Client} speaks version {Theirs} of the submission protocol, this node {Ours}; refused", client.Name, run.Protocol, SubmissionWire.Protocol);
                    client.End(new RunEnded(Exit.BadInput, $"the client speaks version {run.Protocol} of DelaySim's submission protocol and this node version {SubmissionWire.Protocol}: use the same DelaySim release on both"));
                    break;
                default:
                    Logger.Warning("A connection from {Client} to the runs port sent no run ({Why}); refused", client.Name, error);
                    client.End(new RunEnded(Exit.BadInput, $"expected a line {{\"type\":\"submit\",…}} of DelaySim's submission protocol (docs/CLUSTER.md): {error}"));
                    break;
            }
            // The client sends nothing more, and hangs up when it stops waiting or has read the end. A client that
            // keeps the connection open after the end is closed 10 s later.
            time.CancelAfter(Timeout.InfiniteTimeSpan);
            _ = client.Written.ContinueWith(_ =>
            {
                try { time.CancelAfter(TimeSpan.FromSeconds(10)); } catch (ObjectDisposedException) { } // the client had hung up
            }, TaskScheduler.Default);
            while (await reader.ReadLineAsync(time.Token) is not null) { }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            if (client.Folder is null && !client.Written.IsCompleted) Logger.Warning("A connection from {Client} to the runs port sent no run ({Why}); closed", client.Name, e.Message);
        }
        finally
        {
            client.HungUp();
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Stop();
    }
}

using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using DelaySim.Host.Commands;
using DelaySim.Model;
using Serilog;

namespace DelaySim.Host.Cluster;

/// <summary>
/// The TCP port where a node started with <c>--accept-runs</c> takes runs from <c>run --submit</c> clients
/// (<see cref="SubmissionProtocol"/>'s lines). Each connection's first line is a <see cref="SubmitRun"/>, handed to the
/// node's <see cref="SubmissionsActor"/>; the connection then carries the run's log, table and exit code back, and a
/// client that hangs up early stops hearing them (the run goes on).
/// </summary>
internal sealed class SubmissionDoor : IDisposable
{
    readonly TcpListener _listener;

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
        while (true)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return; // the node stops
            }
            _ = Task.Run(() => Serve(tcp, submissions));
        }
    }

    static async Task Serve(TcpClient tcp, IActorRef submissions)
    {
        var client = new SubmissionClient(tcp);
        var reader = new LineReader(client.Stream, SubmissionWire.MaxLine);
        try
        {
            var line = await reader.ReadLineAsync().WaitAsync(FirstLineWithin);
            if (line is null) // connected and closed (a port probe): nothing to say
            {
                client.HungUp();
                return;
            }
            switch (SubmissionWire.Read(line))
            {
                case SubmitRun { Protocol: SubmissionWire.Protocol } run:
                    client.Folder = run.Folder;
                    submissions.Tell(new SubmissionsActor.Submitted(run, client));
                    break;
                case SubmitRun run:
                    Log.Warning("A client at {Client} speaks version {Theirs} of the submission protocol, this node {Ours}; refused", client.Name, run.Protocol, SubmissionWire.Protocol);
                    client.End(new RunEnded(Exit.BadInput, $"the client speaks version {run.Protocol} of DelaySim's submission protocol and this node version {SubmissionWire.Protocol}: use the same DelaySim release on both"));
                    return;
                default:
                    Log.Warning("A connection from {Client} to the runs port sent no run; closed", client.Name);
                    client.End(new RunEnded(Exit.BadInput, "expected a line {\"type\":\"submit\",…} of DelaySim's submission protocol (docs/CLUSTER.md)"));
                    return;
            }
            while (await reader.ReadLineAsync() is not null) { } // the client sends nothing more: wait until it hangs up
        }
        catch (Exception e) when (e is IOException or InvalidDataException or TimeoutException or ObjectDisposedException or SocketException)
        {
            if (client.Folder is null) Log.Warning("A connection from {Client} to the runs port sent no run ({Why}); closed", client.Name, e.Message);
        }
        client.HungUp();
    }

    public void Dispose() => _listener.Stop();
}

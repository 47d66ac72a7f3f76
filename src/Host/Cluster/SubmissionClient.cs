using System.Net.Sockets;
using System.Threading.Channels;
using Serilog;

namespace DelaySim.Host.Cluster;

/// <summary>
/// The node's end of one <c>run --submit</c> connection. What the run says to its client is queued and written by one
/// loop, in order, so a slow or vanished client never holds the run up. After <see cref="End"/> the node half-closes
/// the connection (a FIN after the last byte, never a reset that could drop it); the door closes it once the client
/// has. A client that hangs up first stopped waiting: nothing more is sent, and the run goes on.
/// </summary>
internal sealed class SubmissionClient : IDisposable
{
    static ILogger Logger => Log.ForContext<SubmissionClient>(); // the node's own line, never sent to a run's client

    readonly TcpClient _tcp;
    readonly Channel<SubmissionMessage> _outbox = Channel.CreateUnbounded<SubmissionMessage>(new UnboundedChannelOptions { SingleReader = true });
    readonly object _gate = new();
    volatile bool _gone;
    bool _ended;

    public SubmissionClient(TcpClient tcp)
    {
        _tcp = tcp;
        tcp.NoDelay = true;
        KeepAlive(tcp.Client);
        Name = tcp.Client.RemoteEndPoint?.ToString() ?? "?";
        Stream = tcp.GetStream();
        Written = Task.Run(WriteAll);
    }

    public string Name { get; }

    public NetworkStream Stream { get; }

    /// <summary>True once the client hung up, or its connection broke: nothing more is sent.</summary>
    public bool Gone => _gone;

    /// <summary>Completes when nothing more will be written: after <see cref="End"/>'s message, or once the client is gone.</summary>
    public Task Written { get; }

    /// <summary>The run's folder, once the client has sent its run.</summary>
    public string? Folder { get; set; }

    /// <summary>Sends <paramref name="message"/> unless the client is gone or the run has ended.</summary>
    public void Tell(SubmissionMessage message)
    {
        lock (_gate)
            if (!_gone && !_ended) _outbox.Writer.TryWrite(message);
    }

    /// <summary>The last message (a line told at the same moment from another thread comes before it or not at all).</summary>
    public void End(RunEnded ended)
    {
        lock (_gate)
        {
            if (_ended) return;
            if (!_gone) _outbox.Writer.TryWrite(ended);
            _ended = true;
            _outbox.Writer.TryComplete();
        }
    }

    /// <summary>The client closed its end (or the connection broke).</summary>
    public void HungUp()
    {
        bool ended;
        lock (_gate)
        {
            if (_gone) return;
            _gone = true;
            ended = _ended;
            _outbox.Writer.TryComplete();
        }
        if (!ended && Folder is not null) Logger.Information("The client of {Folder} stopped waiting; the run goes on", Folder);
    }

    async Task WriteAll()
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync())
                if (!_gone) await Stream.WriteAsync(SubmissionWire.Line(message));
            if (!_gone) _tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            _gone = true; // the client vanished: the run goes on without it
        }
    }

    public void Dispose() => _tcp.Dispose();

    /// <summary>
    /// A peer whose machine vanishes sends no close: probes after 10 s of silence, every 2 s, notice it within about
    /// 16 s (as Akka's death watch did when clients used remoting).
    /// </summary>
    public static void KeepAlive(Socket socket)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 10);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 2);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
    }
}

using System.Net;
using System.Net.Sockets;

namespace DelaySim.Tests.Support;

public static class Ports
{
    /// <summary>A TCP port free on loopback right now (bound to port 0, then released).</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using Akka.Actor;
using Akka.Configuration;
using DelaySim.Model;

namespace DelaySim.Host.Cluster;

/// <summary>
/// The cluster side of the ActorSystem: address, seed nodes, role, split-brain resolver and the project serializer,
/// layered over config/akka.hocon. Binds to 127.0.0.1 unless told otherwise; see README for running across machines.
/// </summary>
internal static class ClusterSetup
{
    public const string CoordinatorRole = "coordinator";
    public const string RunnerRole = "runner";
    public const string CoordinatorName = "coordinator";
    public const string RunnerName = "runner";

    public static Config Config(string host, int port, IReadOnlyList<string> seeds, IReadOnlyList<string> roles, string? publicHost = null)
    {
        foreach (var seed in seeds) RequireAddress("--seed-nodes", seed);
        if (port is < 0 or > 65535) throw new BadInputException($"--port {port}: expected 0..65535");
        RequireHost("--host", host);
        if (publicHost is not null) RequireHost("--public-host", publicHost);
        var seedList = string.Join(", ", seeds.Select(s => $"\"{s}\""));
        var roleList = string.Join(", ", roles.Select(r => $"\"{r}\""));
        return ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = "{{host}}"
            akka.remote.dot-netty.tcp.public-hostname = "{{publicHost ?? host}}"
            akka.remote.dot-netty.tcp.port = {{port}}
            akka.cluster.seed-nodes = [{{seedList}}]
            akka.cluster.roles = [{{roleList}}]
            """);
    }

    /// <summary>A node's address, akka.tcp://delaysim@HOST:PORT, or a clear error naming <paramref name="option"/>.</summary>
    public static void RequireAddress(string option, string text)
    {
        if (!Address.TryParse(text, out var address) || address.System != "delaysim" || address.Host is null || address.Port is null)
            throw new BadInputException($"{option} '{text}': expected an address like akka.tcp://delaysim@127.0.0.1:4053");
    }

    /// <summary>A host name that resolves, or an IP address: otherwise Akka's transport fails with a stack trace in its log.</summary>
    static void RequireHost(string option, string host)
    {
        if (System.Net.IPAddress.TryParse(host, out _)) return;
        if (Uri.CheckHostName(host) != UriHostNameType.Dns)
            throw new BadInputException($"{option} '{host}': expected a host name or an IP address such as 127.0.0.1");
        try
        {
            System.Net.Dns.GetHostAddresses(host);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new BadInputException($"{option} '{host}': cannot be resolved ({e.Message})", e);
        }
    }

    /// <summary>
    /// A node given a port that another process listens on came Up all the same, bound to nothing (Akka's transport
    /// did not fail), as a cluster of its own that nobody could reach: the port is tried here first.
    /// </summary>
    static void RequireFreePort(string what, string host, int port)
    {
        if (port == 0) return;
        // The address Akka binds: IPv4 first, as its transport prefers.
        var address = System.Net.IPAddress.TryParse(host, out var ip) ? ip
            : System.Net.Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork).First();
        var probe = new System.Net.Sockets.TcpListener(address, port);
        try
        {
            probe.Start();
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new BadInputException($"{what}: port {port} on {host} is in use (another delaysim node?); give another --port");
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Anything else (no permission for the port, no such interface) is for Akka's transport to report.
        }
        finally
        {
            probe.Stop();
        }
    }

    static int _contacting;

    /// <summary>
    /// While this process waits to reach a node it may not reach yet (a node joining its seed, a coordinator joining
    /// the cluster), Akka's warnings that the connection was refused are left out of the log (<see cref="AkkaSetup"/>): nodes
    /// may start in any order, and one started a moment before its seed logged two warnings before it joined. If the
    /// node is never reached, the message that says so names the address.
    /// </summary>
    public static bool Contacting => Volatile.Read(ref _contacting) > 0;

    /// <summary>Marks the time until the result is disposed as <see cref="Contacting"/>.</summary>
    public static IDisposable Contact()
    {
        Interlocked.Increment(ref _contacting);
        return new Contacted();
    }

    sealed class Contacted : IDisposable
    {
        int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref _contacting);
        }
    }

    /// <summary>
    /// Starts the node and waits until it is Up in the cluster, or fails with a clear message. <paramref name="started"/>
    /// runs once the ActorSystem exists, before the node joins: actors it creates are there when other nodes see this one.
    /// <paramref name="stop"/> (Ctrl-C, SIGTERM) while it joins: the node stops, and this throws OperationCanceledException.
    /// </summary>
    public static async Task<ActorSystem> StartAsync(Config cluster, int lanes, TimeSpan joinTimeout, string what, Action<ActorSystem>? started = null,
        CancellationToken stop = default)
    {
        RequireFreePort(what, cluster.GetString("akka.remote.dot-netty.tcp.hostname"), cluster.GetInt("akka.remote.dot-netty.tcp.port"));
        ActorSystem system;
        try
        {
            system = AkkaSetup.CreateSystem(lanes, cluster);
        }
        catch (Exception e)
        {
            throw new BadInputException($"{what}: could not start the node ({e.GetBaseException().Message}); is the port free?", e);
        }
        started?.Invoke(system);
        var up = new TaskCompletionSource();
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        using var contact = Contact();
        var waited = Task.Delay(joinTimeout, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        // Said once, after a second without a cluster: a seed that is not up yet is retried every 2 s until the timeout.
        if (await Task.WhenAny(up.Task, Task.Delay(TimeSpan.FromSeconds(1), stop).ContinueWith(_ => { }, TaskScheduler.Default)) != up.Task && !stop.IsCancellationRequested)
            Serilog.Log.Information("{What}: waiting for the cluster at {Seeds} (up to {Seconds:0} s)", what,
                string.Join(", ", cluster.GetStringList("akka.cluster.seed-nodes")), joinTimeout.TotalSeconds);
        if (await Task.WhenAny(up.Task, waited) != up.Task)
        {
            await system.Terminate();
            // Stopped while joining, which is not a failure to join (it reported "could not join within 30 s", exit 2).
            stop.ThrowIfCancellationRequested();
            var seeds = cluster.GetStringList("akka.cluster.seed-nodes");
            throw new BadInputException($"{what}: could not join the cluster at {string.Join(", ", seeds)} within {joinTimeout.TotalSeconds:0} s (wrong seed address or port, or nothing listening there)");
        }
        return system;
    }
}

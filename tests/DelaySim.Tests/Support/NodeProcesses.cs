using System.Diagnostics;
using System.Text;

namespace DelaySim.Tests.Support;

/// <summary>`delaysim node` processes on loopback for a test, with their logs; killed when the test ends.</summary>
internal sealed class NodeProcesses : IDisposable
{
    readonly List<Process> _nodes = [];
    readonly Dictionary<Process, StringBuilder> _logs = [];
    readonly Dictionary<Process, List<(string Text, TaskCompletionSource Seen)>> _waits = [];

    /// <param name="options">More options for `delaysim node`, e.g. --accept-runs.</param>
    public async Task<Process> Start(int port, int seedPort, params string[] options)
    {
        var process = Process.Start(new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "delaysim"),
            ["node", "--port", port.ToString(), "--seed-nodes", $"akka.tcp://delaysim@127.0.0.1:{seedPort}", .. options])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _nodes.Add(process);
        var log = _logs[process] = new StringBuilder();
        var waits = _waits[process] = [];
        var up = WhenLogged(process, "Runner node up");
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
                foreach (var (text, seen) in waits)
                    if (e.Data?.Contains(text) == true) seen.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (await Task.WhenAny(up, Task.Delay(TimeSpan.FromSeconds(60))) != up) throw new TimeoutException($"node on port {port} did not come up:\n{Log(process)}");
        return process;
    }

    /// <summary>Completes when the node logs a line containing <paramref name="text"/> (from now on).</summary>
    public Task WhenLogged(Process node, string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_logs[node]) _waits[node].Add((text, seen));
        return seen.Task;
    }

    /// <summary>Another process (a coordinator) to kill when the test ends.</summary>
    public void Track(Process process) => _nodes.Add(process);

    public string Log(Process node)
    {
        lock (_logs[node]) return _logs[node].ToString();
    }

    public void Dispose()
    {
        foreach (var node in _nodes.Where(n => !n.HasExited)) node.Kill(entireProcessTree: true);
        foreach (var node in _nodes) node.Dispose();
    }
}

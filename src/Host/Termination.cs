using System.Runtime.InteropServices;

namespace DelaySim.Host;

/// <summary>
/// Ctrl-C and SIGTERM for the commands that stop cleanly on them (<c>node</c> leaves its cluster, <c>run --submit</c>
/// stops waiting): once such a command calls <see cref="Handle"/>, the first signal cancels the token it got instead of
/// ending the process, and a second one ends it as usual. Every other command ends on a signal as any process does.
/// System.CommandLine's own handler is off (<see cref="Cli"/>): it disposes its token source when the command returns,
/// so a signal whose handling had ended the command could then crash the process on the disposed source (a node
/// stopped with SIGTERM aborted in about one run in three in the native build).
/// </summary>
internal static class Termination
{
    // Never disposed: a signal may arrive at any moment until the process is gone.
    static readonly CancellationTokenSource Requested = new();
    static readonly List<PosixSignalRegistration> Registrations = [];

    public static CancellationToken Handle()
    {
        lock (Registrations)
        {
            if (Registrations.Count == 0)
                foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
                    Registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
        return Requested.Token;
    }

    static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = !Requested.IsCancellationRequested;
        Requested.Cancel();
    }
}

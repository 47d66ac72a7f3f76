using Akka.Actor;
using DelaySim.Host.Commands;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using Serilog;
using Spectre.Console;

namespace DelaySim.Host.Cluster;

/// <summary>
/// On a node started with <c>--accept-runs</c>: takes whole runs from <c>run --submit</c> clients, one at a time in the
/// order they arrive, and runs each through the same pipeline as a local run, with this node's standing coordinator
/// handing its cells to every runner of the cluster (this node's own included). The process is warm and already a
/// member, so a submitted run pays neither a cold start nor a join. The client hears the run's log lines, its table
/// and its exit code; the folder is written here, at the absolute path the client named.
/// </summary>
internal sealed class SubmissionsActor : ReceiveActor
{
    readonly Queue<Submitted> _queue = new();
    bool _running;

    /// <summary>From the node's <see cref="SubmissionDoor"/>: a client's run.</summary>
    public sealed record Submitted(SubmitRun Run, SubmissionClient Client);

    sealed record Ended
    {
        public static readonly Ended Instance = new();
    }

    public SubmissionsActor(IActorRef coordinator)
    {
        var node = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString();
        Receive<Submitted>(submitted =>
        {
            submitted.Client.Tell(new RunQueued(_queue.Count + (_running ? 1 : 0), node));
            _queue.Enqueue(submitted);
            Next(coordinator);
        });
        Receive<Ended>(_ =>
        {
            _running = false;
            Next(coordinator);
        });
    }

    public static Props Props(IActorRef coordinator) => Akka.Actor.Props.Create(() => new SubmissionsActor(coordinator));

    void Next(IActorRef coordinator)
    {
        if (_running || !_queue.TryDequeue(out var next)) return;
        _running = true;
        var self = Self;
        Task.Run(() => Run(next.Run, next.Client, coordinator)).ContinueWith(_ => self.Tell(Ended.Instance), TaskScheduler.Default);
    }

    static async Task Run(SubmitRun submit, SubmissionClient client, IActorRef coordinator)
    {
        Log.Information("Run submitted from {Client} → {Folder}", client.Name, submit.Folder);
        int code;
        string? error = null;
        using (SubmissionLog.Instance.Forward((level, text) => client.Tell(new RunLog((int)level, text))))
        {
            try
            {
                if (!Path.IsPathRooted(submit.Folder)) throw new BadInputException($"--out {submit.Folder}: a submitted run needs an absolute path");
                var scenario = ScenarioReader.Parse(submit.ScenarioText, submit.Origin, submit.BaseDirectory);
                var engine = submit.Engine == "direct" ? EngineKind.Direct : EngineKind.Actors;
                var result = await RunPipeline.RunAsync(scenario, submit.Folder, new StandingExecutor(engine, coordinator), Environment.ProcessorCount,
                    submit.Force, submit.MaxMemory, console: ClientConsole(client, submit.Width));
                code = result.Diverged == 0 ? Exit.Ok : Exit.Diverged;
            }
            catch (Exception e)
            {
                (code, error) = Exit.Describe(e);
            }
        }
        client.End(new RunEnded(code, error));
        Log.Information("Submitted run from {Client} ended with exit code {Code}", client.Name, code);
    }

    /// <summary>A console that sends what is printed on it to the client each time it is flushed.</summary>
    static IAnsiConsole ClientConsole(SubmissionClient client, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(new SendingWriter(text => client.Tell(new RunOutput(text)))),
        });
        console.Profile.Width = width;
        console.Profile.Capabilities.Unicode = true;
        return console;
    }

    sealed class SendingWriter(Action<string> send) : StringWriter
    {
        public override void Flush()
        {
            var text = GetStringBuilder();
            if (text.Length == 0) return;
            send(text.ToString());
            text.Clear();
        }
    }

    /// <summary>The cells of a submitted run go to the node's standing coordinator: nothing to join or leave.</summary>
    sealed class StandingExecutor(EngineKind engine, IActorRef coordinator) : ICellExecutor
    {
        CoordinatedRun? _run;

        public EngineKind Engine => engine;

        public Task<IReadOnlyList<CellRun>> ExecuteAsync(IReadOnlyList<Cell> cells, Scenario scenario, CellStore? store, Action<CellRun> onCell) =>
            CoordinatorActor.RunAsync(coordinator, _run = CoordinatedRun.Of(cells, scenario, engine, store, onCell) with { ShareFigures = true });

        public Task<IReadOnlyDictionary<int, Plots.DrawnFigure>>? FiguresDrawnElsewhere => _run?.FiguresElsewhere;
    }
}

using Akka.Actor;
using DelaySim.Host.Commands;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using Serilog;
using Serilog.Events;

namespace DelaySim.Host.Cluster;

/// <summary>
/// <c>run --submit ADDRESS</c>: hands the whole run to a node started with <c>--accept-runs</c> (see
/// <see cref="SubmissionsActor"/>) and waits for it, printing its log and table here. This process only starts
/// remoting; it never joins the cluster. The run folder is the one a local run would write, byte for byte, but the node
/// writes it, at <paramref name="folder"/> on its own file system.
/// </summary>
internal static class Submission
{
    public const string ActorName = "submissions";

    /// <param name="read">Reads the scenario and names the folder, while remoting starts on another thread.</param>
    /// <param name="cancel">Ctrl-C: stop waiting. The run goes on at the node, which writes the folder all the same.</param>
    public static async Task<int> RunAsync(Func<(Scenario Scenario, string Folder)> read, EngineKind engine, bool force, long? maxMemory, string address, string host,
        CancellationToken cancel = default)
    {
        ClusterSetup.RequireAddress("--submit", address);
        var config = ClusterSetup.RemoteConfig(host);
        var starting = Task.Run(() => AkkaSetup.CreateSystem(1, config));
        SubmitRun submit;
        try
        {
            var (scenario, folder) = read();
            submit = new SubmitRun(scenario.Text, scenario.Origin, scenario.BaseDirectory, Path.GetFullPath(folder), engine.ToString().ToLowerInvariant(), force, maxMemory, ResultsTable.Width);
        }
        catch
        {
            // The scenario's error is the one to report, not remoting's.
            try { await (await starting).Terminate(); } catch (Exception) { }
            throw;
        }
        var system = await starting;
        var heardAll = false;
        try
        {
            // The run goes straight to the node's submissions actor (no lookup first: that was a round trip more on
            // every run); its answer, RunQueued, names the node, and no answer within 5 s means no node there takes runs.
            var selection = system.ActorSelection($"{address.TrimEnd('/')}/user/{ActorName}");
            var accepted = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
            var ended = new TaskCompletionSource<RunEnded>(TaskCreationOptions.RunContinuationsAsynchronously);
            IActorRef submitter;
            IActorRef node;
            using (ClusterSetup.Contact())
            {
                submitter = system.ActorOf(Akka.Actor.Props.Create(() => new SubmitterActor(selection, submit, accepted, ended)), "submitter");
                try
                {
                    node = await accepted.Task.WaitAsync(AnswerWithin, cancel);
                }
                catch (TimeoutException)
                {
                    throw new BadInputException($"--submit {address}: no node there accepts runs within 5 s (start one with `delaysim node --accept-runs`, and check the address and port)");
                }
                catch (OperationCanceledException)
                {
                    selection.Tell(new StopReporting(submit.Folder), submitter); // in case the run reached the node
                    Log.Warning("Stopped waiting before the node answered; if the run reached {Address}, it goes on there and writes {Folder}", address, submit.Folder);
                    return Exit.Stopped;
                }
            }
            RunEnded end;
            try
            {
                end = await ended.Task.WaitAsync(cancel);
                heardAll = true;
            }
            catch (OperationCanceledException)
            {
                node.Tell(new StopReporting(submit.Folder), submitter); // before remoting stops, so the node never writes to a closed address
                Log.Warning("Stopped waiting; the run goes on at {Node}, which writes {Folder}", node.Path.Address, submit.Folder);
                return Exit.Stopped;
            }
            if (end.ExitCode == Exit.BadInput) await Console.Error.WriteLineAsync($"error: {end.Error}");
            else if (end.Error is not null) Log.Error("The run failed on {Node}: {Error}", node.Path.Address, end.Error);
            if (end.ExitCode is Exit.Ok or Exit.Diverged && !File.Exists(Path.Combine(submit.Folder, "manifest.json")))
                Log.Information("The run folder {Folder} is on {Node}'s file system, not visible here", submit.Folder, node.Path.Address);
            return end.ExitCode;
        }
        finally
        {
            // After the node's last word (RunEnded) there is nothing left to send: the process ends without waiting
            // for remoting's orderly stop (30-45 ms of every submitted run), and the node sees the connection close,
            // which it does not log. A client that stops early waits, so that StopReporting reaches the node first.
            var terminated = system.Terminate();
            if (!heardAll) await terminated;
        }
    }

    /// <summary>How long a node has to answer a submission before the client says that none there takes runs.</summary>
    static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends the run, learns the node from its first answer, prints what comes back, and notices a node that dies
    /// before the run ends.
    /// </summary>
    sealed class SubmitterActor : ReceiveActor
    {
        public SubmitterActor(ActorSelection submissions, SubmitRun submit, TaskCompletionSource<IActorRef> accepted, TaskCompletionSource<RunEnded> ended)
        {
            submissions.Tell(submit);
            Receive<RunQueued>(q =>
            {
                if (accepted.Task.IsCompleted) return; // answered already (a node answers once per submission)
                Context.Watch(Sender);
                accepted.TrySetResult(Sender);
                if (q.Ahead > 0) Log.Information("Queued on {Node} behind {Ahead} submitted run(s)", Sender.Path.Address, q.Ahead);
            });
            Receive<RunLog>(line => Log.Write((LogEventLevel)line.Level, "{Line:l}", line.Text));
            Receive<RunOutput>(output => Console.Out.Write(output.Text));
            Receive<RunEnded>(end =>
            {
                ended.TrySetResult(end);
                Context.Stop(Self);
            });
            Receive<Terminated>(_ => ended.TrySetResult(new RunEnded(Exit.Failure,
                $"the node stopped before the run ended; the cells it finished are in {submit.Folder} on its machine (submit or run again to resume them)")));
        }
    }
}

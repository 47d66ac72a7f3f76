using System.CommandLine;
using DelaySim.Host.Cluster;
using DelaySim.Host.Output;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Commands;

/// <summary><c>delaysim run [FILE] [--out DIR] [--seed N] [--engine actors|direct] [--jobs N]</c>.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("file") { Arity = ArgumentArity.ZeroOrOne, Description = "Scenario file (HOCON). Without it, the built-in default scenario runs." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/<name>-<scenario hash>)." };
        var seed = new Option<ulong?>("--seed") { Description = "Master seed; overrides the scenario's 'seed'." };
        var engine = new Option<EngineKind>("--engine") { HelpName = "actors|direct", DefaultValueFactory = _ => EngineKind.Actors, Description = "actors (the product) or direct (single-threaded oracle); both give the same bytes." };
        var jobs = new Option<int>("--jobs") { DefaultValueFactory = _ => Environment.ProcessorCount, Description = "Replicates run at once." };
        var set = new Option<string[]>("--set") { Description = "Override a scenario key: --set optimizer.eta=0.01 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var cluster = new Option<string?>("--cluster") { Description = "Join the cluster at this seed address (akka.tcp://delaysim@HOST:PORT) as coordinator and run the cells on its runner nodes." };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 0, Description = "With --cluster: this coordinator's TCP port (0 = any free port)." };
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1", Description = "With --cluster: address to bind (the nodes must reach it)." };
        var submit = new Option<string?>("--submit") { HelpName = "HOST[:PORT]", Description = $"Hand the whole run to the node that takes runs at this address (started with `delaysim node --accept-runs`; port {SubmissionWire.DefaultPort} unless it was given --runs-port): it coordinates, the cluster's nodes run the cells, and it writes the run folder at --out on its own file system." };
        var coordinateOnly = new Option<bool>("--coordinate-only") { Description = "With --cluster: hand out cells but run none here (e.g. on a login node, or beside a runner on the same cores)." };
        var force = new Option<bool>("--force") { Description = "Delete the files an earlier run wrote in --out (another scenario's, or damaged ones) and start over; other files stay." };
        var maxMemory = new Option<string?>("--max-memory") { Description = "Refuse a run whose estimated memory exceeds this (e.g. 8G, 512M; default: what the machine has available)." };
        var command = new Command("run", "Run a scenario (without <file>, the built-in default) and write its run folder.") { file, output, seed, engine, jobs, set, force, maxMemory, cluster, port, host, coordinateOnly, submit };
        command.Validators.Add(result =>
        {
            if (result.GetValue(coordinateOnly) && result.GetValue(cluster) is null) result.AddError("--coordinate-only needs --cluster ADDRESS");
            if (result.GetValue(submit) is not null && result.GetValue(cluster) is not null) result.AddError("--submit and --cluster exclude each other: a submitted run is coordinated by the node it goes to");
            if (result.GetValue(submit) is not null && result.GetResult(jobs) is { Implicit: false }) result.AddError("--jobs does not apply to --submit: the nodes run as many replicates at once as they have cores");
            if (result.GetValue(submit) is not null && result.GetResult(host) is { Implicit: false }) result.AddError("--host does not apply to --submit: the client only connects to the node");
        });
        command.SetAction(parse => Exit.Guard(() => parse.GetValue(submit) is { } node
            ? SubmitAsync(parse.GetValue(file), parse.GetValue(output), parse.GetValue(seed), parse.GetValue(engine), parse.GetValue(set), parse.GetValue(force), parse.GetValue(maxMemory), node, Termination.Handle())
            : RunAsync(parse.GetValue(file), parse.GetValue(output), parse.GetValue(seed), parse.GetValue(engine), parse.GetValue(jobs), parse.GetValue(set),
            parse.GetValue(cluster) is { } seedAddress ? new ClusterOptions(seedAddress, parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(coordinateOnly)) : null,
            parse.GetValue(force), parse.GetValue(maxMemory))));
        return command;
    }

    static Task<int> SubmitAsync(string? file, string? output, ulong? seed, EngineKind engine, string[]? overrides, bool force, string? maxMemory, string node,
        CancellationToken cancel) =>
        Submission.RunAsync(() =>
        {
            var scenario = Read(file, overrides, seed);
            return (scenario, output ?? RunFolder.DefaultFolder(scenario));
        }, engine, force, ParseBytes(maxMemory), node, cancel);

    static Scenario Read(string? file, string[]? overrides, ulong? seed) =>
        file is null ? ScenarioReader.ReadDefault(overrides, seed) : ScenarioReader.ReadFile(file, overrides, seed);

    public static async Task<int> RunAsync(string? file, string? output, ulong? seed, EngineKind engine, int jobs, string[]? overrides = null, ClusterOptions? cluster = null, bool force = false, string? maxMemory = null)
    {
        if (jobs < 1) throw new Model.BadInputException($"--jobs {jobs}: expected at least 1 (replicates run at once)");
        var scenario = Read(file, overrides, seed);
        ICellExecutor executor = cluster is null ? new LocalExecutor(engine, jobs) : new ClusterExecutor(engine, cluster);
        try
        {
            var result = await RunPipeline.RunAsync(scenario, output ?? RunFolder.DefaultFolder(scenario), executor, jobs, force, ParseBytes(maxMemory));
            return result.Diverged == 0 ? Exit.Ok : Exit.Diverged;
        }
        finally
        {
            if (executor is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
    }

    /// <summary>"8G", "512M", "100K" or a number of bytes.</summary>
    static long? ParseBytes(string? text)
    {
        if (text is null) return null;
        var t = text.Trim().ToUpperInvariant().TrimEnd('B');
        var scale = t.EndsWith('K') ? 1L << 10 : t.EndsWith('M') ? 1L << 20 : t.EndsWith('G') ? 1L << 30 : t.EndsWith('T') ? 1L << 40 : 1;
        if (scale > 1) t = t[..^1];
        return double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x) && x > 0 && x * scale < long.MaxValue
            ? (long)(x * scale)
            : throw new Model.BadInputException($"--max-memory {text}: expected a size such as 8G, 512M or 100000000");
    }
}

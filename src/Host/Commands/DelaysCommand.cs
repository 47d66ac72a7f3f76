using System.CommandLine;
using System.Globalization;
using DelaySim.Host.Output;
using DelaySim.Host.Plots;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Model.Delays;
using Spectre.Console;

namespace DelaySim.Host.Commands;

/// <summary>
/// <c>delaysim delays FILE-or-SPEC [--samples N] [--workers M] [--seed N] [--out DIR]</c>: declared vs realized statistics
/// of delay models, with a histogram and an autocorrelation plot per stream.
/// </summary>
internal static class DelaysCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("file-or-spec") { Description = "A HOCON file of named delay models (each top-level block is one), or a NetEm spec such as \"20ms 5ms 25% distribution pareto\"." };
        var samples = new Option<int>("--samples") { DefaultValueFactory = _ => 100_000, Description = "Draws per stream." };
        var workers = new Option<int?>("--workers") { Description = "Workers (streams) per model (default: the scenario's workers, or 1); cross-worker correlation needs 2 or more." };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 1, Description = "Master seed." };
        var output = new Option<string?>("--out") { Description = "Folder for delays.csv and the histogram and autocorrelation plots (without it, only the table is printed)." };
        var against = new Option<string?>("--against") { Description = "A measured trace to compare each model with (mean, sd, quantiles, acf, cross-worker correlation, two-sample KS); its layout as for `fit` (--format, --value, …)." };
        var command = new Command("delays", "Check delay models: declared vs realized statistics, histograms, autocorrelation.") { source, samples, workers, seed, output, against };
        var input = new TraceInput();
        input.AddTo(command);
        command.SetAction((parse, _) => Exit.Guard(() =>
        {
            var (format, table, only) = input.From(parse);
            var trace = parse.GetValue(against) is { } path ? TraceInput.Read(path, format, table, only) : null;
            return Task.FromResult(Run(parse.GetValue(source)!, parse.GetValue(samples), parse.GetValue(workers), parse.GetValue(seed), parse.GetValue(output), trace));
        }));
        return command;
    }

    /// <param name="trace">With <c>--against</c>: the trace's streams, compared with every model's draws.</param>
    public static int Run(string source, int samples, int? workersOption, ulong seed, string? output, IReadOnlyDictionary<int, double[]>? trace = null)
    {
        if (samples < 10) throw new BadInputException($"--samples {samples}: need at least 10");
        if (workersOption < 1) throw new BadInputException($"--workers {workersOption}: need at least 1");
        var (models, scenarioWorkers) = File.Exists(source) ? ReadFile(source) : ([("netem", ParseSpec(source))], 1);
        var workers = workersOption ?? (trace is not null ? trace.Keys.Max() + 1 : scenarioWorkers);
        var comparisons = new List<(string Role, IReadOnlyList<StreamCheck> Checks)>();
        if (output is not null) Directory.CreateDirectory(output);
        var csv = new Csv("stream", "statistic", "declared", "realized");
        var table = new Table().Title($"{samples:N0} draws per stream, {workers} worker(s), seed {seed}");
        foreach (var column in new[] { "stream", "statistic", "declared", "realized" }) table.AddColumn(column);
        foreach (var (role, model) in models)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{role}[/]: {model.Label}");
            IReadOnlyList<StreamCheck> checks;
            try
            {
                checks = DelayCheck.Run(model, role, workers, samples, seed);
            }
            catch (ArgumentException e)
            {
                // e.g. a per-worker override for a worker beyond --workers: the user's combination, not a bug.
                throw new BadInputException($"{source}: {role}: {e.Message}{(workersOption is null ? "" : $" (--workers {workersOption})")}", e);
            }
            comparisons.Add((role, checks));
            foreach (var check in checks)
            {
                foreach (var (statistic, declared, realized) in Rows(check))
                {
                    csv.Row(check.Stream, statistic, double.IsNaN(declared) ? "" : Csv.Format(declared), Csv.Format(realized));
                    table.AddRow(Markup.Escape(check.Stream), statistic, F(declared), F(realized));
                }
                if (output is null) continue;
                foreach (var plot in DelayPlots.Write(check, output)) Serilog.Log.Information("Wrote {Plot}", plot);
            }
        }
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 100);
        AnsiConsole.Write(table);
        if (output is not null) Output.AtomicFile.Write(Path.Combine(output, "delays.csv"), csv.ToString());
        if (trace is not null)
        {
            var against = new Csv("model", "statistic", "model_value", "trace_value");
            foreach (var (role, checks) in comparisons)
            {
                AnsiConsole.Write(TraceComparison.Table(role, checks, trace));
                foreach (var (statistic, model, measured) in TraceComparison.Rows(checks, trace))
                    against.Row(role, statistic, double.IsNaN(model) ? "" : Csv.Format(model), double.IsNaN(measured) ? "" : Csv.Format(measured));
                if (output is not null)
                    foreach (var plot in TracePlots.Write(role, checks, trace, output)) Serilog.Log.Information("Wrote {Plot}", plot);
            }
            if (output is not null) Output.AtomicFile.Write(Path.Combine(output, "delays-vs-trace.csv"), against.ToString());
        }
        return Exit.Ok;
    }

    /// <summary>The statistics of delays.csv, in order; declared is NaN where the model does not know it.</summary>
    static IEnumerable<(string, double, double)> Rows(StreamCheck c)
    {
        var d = c.Declared;
        yield return ("mean", d.Mean, c.Mean);
        yield return ("sd", d.Sd, c.Sd);
        yield return ("p50", d.P50, c.P50);
        yield return ("p95", d.P95, c.P95);
        yield return ("p99", d.P99, c.P99);
        yield return ("max", double.NaN, c.Max);
        for (var k = 0; k < c.Acf.Length; k++) yield return ($"acf{k + 1}", d.Acf[k], c.Acf[k]);
        yield return ("xcorr", d.CrossCorrelation, c.CrossCorrelation);
        yield return ("ks", double.NaN, c.Ks);
    }

    static DelayModel ParseSpec(string spec)
    {
        try
        {
            return NetEm.Parse(spec);
        }
        catch (ArgumentException e)
        {
            throw new BadInputException($"'{spec}' is neither an existing file nor a valid NetEm spec: {e.Message}");
        }
    }

    /// <summary>
    /// A scenario of the time domain gives its compute, uplink and downlink models; any other file is read as named
    /// models, one per top-level block.
    /// </summary>
    static (IReadOnlyList<(string, DelayModel)> Models, int Workers) ReadFile(string path)
    {
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var text = File.ReadAllText(path);
        var probe = HoconSyntax.Parse(text, path, baseDirectory);
        if (probe.HasPath("simulation") || probe.HasPath("problem"))
        {
            var scenario = ScenarioReader.ReadFile(path);
            if (scenario.Simulation.Time is not { } time)
                throw new BadInputException($"{path}: a scenario's delays can be checked for simulation.domain = time only (this one is {StrictConfig.KebabName(scenario.Simulation.Domain)})");
            // A swept scenario: every point's models, each distinct one once, named by the first point that has it.
            var points = scenario.Variants.Count == 0 ? [(Name: "", Scenario: scenario)] : scenario.Variants.Select(v => (v.Point.Name, v.Scenario)).ToArray();
            var all = points.SelectMany(p => p.Scenario.Simulation.Time is { } t
                ? new[] { ("compute", t.Models.Compute), ("uplink", t.Models.Uplink), ("downlink", t.Models.Downlink) }.Select(m => (Role: m.Item1, Model: m.Item2, p.Name))
                : []);
            // A role whose model is the same at every point keeps its plain name; one that varies is named by the point.
            var distinct = all.GroupBy(m => m.Role).SelectMany(role =>
            {
                var models = role.DistinctBy(m => m.Model.Label).ToArray();
                return models.Select(m => (models.Length > 1 ? $"{m.Role} [{m.Name}]" : m.Role, m.Model));
            }).ToArray();
            return (distinct, time.Workers);
        }
        var c = new StrictConfig(probe, path, text);
        var models = c.ChildKeys("").Select(role => (role, DelayModelReader.Read(c, role, baseDirectory))).ToArray();
        c.RejectUnknownKeys();
        return (models, 1);
    }

    static string F(double x) => double.IsNaN(x) ? "–" : x.ToString("G5", CultureInfo.InvariantCulture);
}

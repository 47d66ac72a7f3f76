using System.CommandLine;
using System.Globalization;
using System.Text;
using DelaySim.Host.Output;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Model.Delays;
using DelaySim.Model.Fitting;
using Spectre.Console;

namespace DelaySim.Host.Commands;

/// <summary>
/// <c>delaysim fit TRACE [--format project|long|wide] [--value COL …] [--workers pooled|per-worker] [--out model.hocon]</c>:
/// fits a delay model to a measured trace (<see cref="DelayFitter"/>) and writes it as a HOCON block that <c>run</c>
/// and <c>delays</c> read, with the fit's quality in a comment block above it.
/// </summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var trace = new Argument<string>("trace") { Description = "The measured trace: CSV, plain or .gz." };
        var input = new TraceInput();
        var workers = new Option<string>("--workers") { DefaultValueFactory = _ => "pooled", Description = "pooled (one model for every worker) or per-worker (the pooled model plus each worker's own as an override)." };
        workers.AcceptOnlyFromAmong("pooled", "per-worker");
        var steps = new Option<bool?>("--steps") { Description = "Read the values as staleness steps (discrete) or not (continuous delays); default: steps when every value is a whole number below 1,000." };
        var maxAr = new Option<int>("--max-ar") { DefaultValueFactory = _ => ArFit.MaxOrder, Description = "Largest AR order tried (0: an i.i.d. model of the marginal alone)." };
        var name = new Option<string>("--name") { DefaultValueFactory = _ => "fitted", Description = "The name of the model block written." };
        var output = new Option<string?>("--out") { Description = "Write the model here (default: print it)." };
        var command = new Command("fit", "Fit a delay model (marginal by AIC, AR(p) copula) to a measured trace and write it as HOCON.") { trace, workers, steps, maxAr, name, output };
        input.AddTo(command);
        command.SetAction((parse, _) => Exit.Guard(() =>
        {
            var (format, table, only) = input.From(parse);
            var streams = TraceInput.Read(parse.GetValue(trace)!, format, table, only);
            return Task.FromResult(Run(parse.GetValue(trace)!, format, streams, parse.GetValue(workers) == "per-worker", parse.GetValue(steps), parse.GetValue(maxAr), parse.GetValue(name)!, parse.GetValue(output)));
        }));
        return command;
    }

    public static int Run(string path, TraceInput.Format format, IReadOnlyDictionary<int, double[]> streams, bool perWorker, bool? steps, int maxAr, string name, string? output)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z][a-z0-9-]*$")) throw new BadInputException($"--name {name}: expected a lower-case key such as fitted");
        if (maxAr is < 0 or > ArFit.MaxOrder) throw new BadInputException($"--max-ar {maxAr}: expected 0..{ArFit.MaxOrder}");
        if (streams.Values.Sum(s => s.Length) < 10) throw new BadInputException($"{path}: {streams.Values.Sum(s => s.Length)} values; a fit needs at least 10");
        var asSteps = steps ?? MarginalFit.LooksLikeSteps(streams.Values.SelectMany(s => s).ToArray());
        var fit = DelayFitter.Fit(streams, perWorker, asSteps, maxAr);
        var text = Describe(path, format, fit, streams, asSteps) + ModelHocon.Block(name, fit.Model);
        // The text must read back as the model it describes; a failure here is a bug, not the user's input.
        var reread = new StrictConfig(HoconSyntax.Parse(text, "fitted model"), "fitted model");
        DelayModelReader.Read(reread, name, Directory.GetCurrentDirectory());
        Print(fit);
        if (output is null) Console.Out.Write(text);
        else
        {
            AtomicFile.Write(output, text);
            Serilog.Log.Information("Wrote {Model}; check it with: delaysim delays {Model}", output, output);
        }
        return Exit.Ok;
    }

    static string Describe(string path, TraceInput.Format format, DelayFit fit, IReadOnlyDictionary<int, double[]> streams, bool integer)
    {
        var p = fit.Pooled;
        var text = new StringBuilder();
        void Line(string s) => text.Append("# ").Append(s).Append('\n');
        Line($"delaysim fit {Path.GetFileName(path)} (--format {format.ToString().ToLowerInvariant()}): {p.Count:N0} values from {streams.Count} stream(s), {(integer ? "read as staleness steps (discrete)" : "read as continuous delays")}");
        foreach (var s in new[] { p }.Concat(fit.PerWorker.Select(w => w.Fit)))
        {
            var why = s.Fallback && s.Winner is { Marginal: not null } w ? $" (the AIC winner, {w.Family}, has KS {G(s.WinnerQuality!.Ks)} > {DelayFitter.KsLimit})" : "";
            Line($"{s.Stream}: n = {s.Count:N0}, mean {G(s.Mean)}, sd {G(s.Sd)}; chosen {s.Chosen}{why}, KS {G(s.Quality.Ks)}");
            Line("  quantiles sample/model: " + string.Join(", ", s.Quality.Quantiles.Select(q => $"p{q.P * 100:0} {G(q.Sample)}/{G(q.Model)}")));
            Line("  families by AIC: " + string.Join(", ", s.Families.Select(f => f.Marginal is null ? $"{f.Family} (not fitted: {f.Failure})" : $"{f.Family} {f.Aic:F1}")));
            Line($"  AR order by AIC: p = {s.Ar.Order}{(s.Ar.Order > 0 ? $", φ = [{string.Join(", ", s.Ar.Coefficients.Select(G))}]" : "")} (AIC " +
                 string.Join(", ", s.Ar.Orders.Select(o => $"p{o.Order} {o.Aic:F1}")) + ")");
            Line("  acf lags 1–5 of the trace: " + string.Join(", ", s.SampleAcf.Select(a => a.ToString("F3", CultureInfo.InvariantCulture))));
            if (s.Regimes is { } r)
                Line(r.Best is { } b
                    ? $"  regimes: {b.Model.States.Length}-state hidden Markov model of {b.Family}, BIC {b.Bic:F1} against the copula's {r.CopulaBic:F1}: {(s.KeptRegimes is not null ? "kept (written below in place of the copula)" : "not kept")}"
                    : "  regimes: EM did not converge to a usable model; not kept");
        }
        if (fit.Factor is { } f)
            Line($"cross-worker correlation of normal scores at equal step: {fit.CrossCorrelation:F3} ≥ {DelayFitter.FactorThreshold}: written as a one-factor copula (ρ {G(f.Correlation)}, AR(1) φ {G(f.Phi)}) in place of the AR(p) above");
        else if (!double.IsNaN(fit.CrossCorrelation))
            Line($"cross-worker correlation of normal scores at equal step: {fit.CrossCorrelation:F3} ({(fit.PerWorker.Count > 0 ? "not modelled with per-worker models" : fit.CrossCorrelation >= DelayFitter.FactorThreshold ? "not modelled in an i.i.d. fit" : $"below {DelayFitter.FactorThreshold}: not modelled")})");
        Line(integer
            ? "use: vars { include \"this file\" } then delay { kind = model, max = <τ̂>, model = ${vars.NAME} }"
            : "use: vars { include \"this file\" } then simulation.time.compute = ${vars.NAME} (or uplink, downlink)");
        return text.ToString();
    }

    static void Print(DelayFit fit)
    {
        var table = new Table().Title("fitted marginals (pooled first)");
        foreach (var column in new[] { "stream", "n", "mean", "sd", "chosen", "KS", "AR p", "acf1", "regimes" }) table.AddColumn(column);
        foreach (var s in new[] { fit.Pooled }.Concat(fit.PerWorker.Select(w => w.Fit)))
            table.AddRow(s.Stream, s.Count.ToString("N0", CultureInfo.InvariantCulture), G(s.Mean), G(s.Sd), s.Chosen, s.Quality.Ks.ToString("F3", CultureInfo.InvariantCulture),
                s.Ar.Order.ToString(CultureInfo.InvariantCulture), s.SampleAcf[0].ToString("F3", CultureInfo.InvariantCulture),
                s.KeptRegimes is { } r ? $"{r.States.Length} states" : "–");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Write(table);
    }

    static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}

using System.Security.Cryptography;
using System.Text;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;

namespace DelaySim.Host.Output;

/// <summary>
/// The run folder: manifest.json, summary.csv and metrics.csv are deterministic (same scenario and seed ⇒ same bytes,
/// whichever engine ran); timings.json holds the wall-clock figures. Every file is written whole or not at all
/// (<see cref="AtomicFile"/>).
/// </summary>
internal static class RunFolder
{
    public const string SummaryHeader = "cell,delay,tau,n,eta,iterations,seeds,train_loss,test_loss,gen_gap,gen_gap_sd,gen_gap_ci95,abs_gen_gap,population_risk,stability_l2,stability_loss,stability_loss_ci95,estimators_agree,mean_staleness,lambda_max,eta_lambda_max,stability_limit,diverged";
    public const string MetricsHeader = "cell,replicate,iteration,train_loss,test_loss,gen_gap,population_risk,twin_l2,twin_l2_sq";
    public const string StalenessHeader = "cell,replicate,worker,updates,staleness_mean,staleness_max,compute_mean,compute_declared,uplink_mean,uplink_declared,downlink_mean,downlink_declared";
    public const string HistogramHeader = "cell,replicate,worker,staleness,count";

    /// <summary>The resolved scenario as JSON (<see cref="CanonicalJson"/>): what the hash is taken over and the manifest holds.</summary>
    public static string ScenarioJson(Scenario scenario) => CanonicalJson.Of(scenario);

    /// <summary>SHA-256 of the resolved scenario's JSON: the run id.</summary>
    public static string Hash(Scenario scenario) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ScenarioJson(scenario))));

    public static string DefaultFolder(Scenario scenario) => Path.Combine("runs", $"{scenario.Name}-{Hash(scenario)[..12]}");

    /// <summary>
    /// The exact scenario text that ran (with any --set lines) as <c>scenario.hocon</c>, and where it came from in
    /// <c>source.json</c> (machine-specific, so outside the deterministic files): what <c>delaysim verify</c> reruns.
    /// </summary>
    public static void WriteSource(string folder, string text, string origin, string baseDirectory)
    {
        AtomicFile.Write(Path.Combine(folder, "scenario.hocon"), text);
        var source = JsonText.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("origin", origin);
            json.WriteString("base-directory", baseDirectory);
            json.WriteEndObject();
        }, indented: true);
        AtomicFile.Write(Path.Combine(folder, "source.json"), source + "\n");
    }

    public static void WriteManifest(string folder, Scenario scenario, string engine)
    {
        var text = new StringBuilder()
            .Append("{\n")
            .Append($"  \"delaysim-version\": \"{typeof(RunFolder).Assembly.GetName().Version}\",\n")
            .Append(scenario.Format >= 2 ? $"  \"format\": {scenario.Format},\n" : "")
            .Append($"  \"scenario-hash\": \"{Hash(scenario)}\",\n")
            .Append($"  \"master-seed\": {scenario.Seed},\n")
            .Append($"  \"engine\": \"{engine}\",\n")
            .Append("  \"scenario\": ")
            .Append(ScenarioJson(scenario).Replace("\n", "\n  "))
            .Append("\n}\n");
        AtomicFile.Write(Path.Combine(folder, "manifest.json"), text.ToString());
    }

    public static void WriteResults(string folder, IReadOnlyList<CellOutcome> outcomes, Scenario scenario, IReadOnlyList<Contrast> contrasts)
    {
        // Format 2 starts every row with the swept keys' values (labels for labelled blocks), one column per key path.
        var swept = scenario.Format >= 2 ? scenario.Sweep.SelectMany(d => d.Paths).ToArray() : [];
        // Parameter-server runs also say how many server steps applied gradients and how many were empty; runs with a
        // rule that drops gradients say how many it dropped. Other runs keep the columns they always had.
        var steps = outcomes.Any(o => o.Summary.Steps is not null);
        var dropped = outcomes.Any(o => o.Summary.Dropped is not null);
        // Format 2 also says how many gradients a buffered rule still held at the end (format-1 folders keep their bytes).
        var held = scenario.Format >= 2 && outcomes.Any(o => o.Summary.Held is not null);
        var summary = new Csv([.. swept, .. SummaryHeader.Split(','), .. steps ? ["updates", "empty_steps"] : Array.Empty<string>(), .. dropped ? ["dropped"] : Array.Empty<string>(), .. held ? ["held"] : Array.Empty<string>()]);
        var metrics = new Csv(MetricsHeader.Split(','));
        foreach (var o in outcomes)
        {
            var s = o.Summary;
            object[] row = [s.Cell, s.Delay, s.Tau, s.N, s.Eta, s.Iterations, s.Seeds, s.TrainLoss, s.TestLoss, s.GenGap, s.GenGapSd, s.GenGapCi95,
                s.AbsGenGap, s.PopulationRisk, s.StabilityL2, s.StabilityLoss, s.StabilityLossCi95, s.EstimatorsAgree switch { true => "yes", false => "no", null => "" },
                s.MeanStaleness, s.LambdaMax, s.EtaLambdaMax, s.StabilityLimit, s.Diverged];
            summary.Row([.. swept.Select(o.Cell.Point.ValueOf), .. row, .. steps ? [s.Steps?.Updates ?? double.NaN, s.Steps?.Empty ?? double.NaN] : Array.Empty<object>(), .. dropped ? [s.Dropped ?? 0.0] : Array.Empty<object>(), .. held ? [s.Held ?? (o.Cell.Spec.Rule is Model.Updates.BufferedUpdate ? double.NaN : 0.0)] : Array.Empty<object>()]);
            foreach (var r in o.Replicates)
                foreach (var c in r.Checkpoints)
                    metrics.Row(o.Cell.Name, r.Index, c.Iteration, c.TrainLoss, c.TestLoss, c.GenGap, c.PopulationRisk, c.TwinL2, c.TwinL2Squared);
        }
        AtomicFile.Write(Path.Combine(folder, "summary.csv"), summary.ToString());
        AtomicFile.Write(Path.Combine(folder, "metrics.csv"), metrics.ToString());
        AtomicFile.Write(Path.Combine(folder, "theory.csv"), TheoryTable.Csv(outcomes));
        if (Contrasts.Csv(contrasts) is { } text) AtomicFile.Write(Path.Combine(folder, Contrasts.FileName), text);
        WriteStaleness(folder, outcomes);
    }

    /// <summary>
    /// staleness.csv: per worker (time domain) or for all updates (staleness domain, worker "all"), the staleness and the
    /// realized mean compute, uplink and downlink times next to the declared means; staleness_histogram.csv: the counts.
    /// </summary>
    static void WriteStaleness(string folder, IReadOnlyList<CellOutcome> outcomes)
    {
        var table = new Csv(StalenessHeader.Split(','));
        var histogram = new Csv(HistogramHeader.Split(','));
        foreach (var o in outcomes)
        foreach (var r in o.Replicates)
        {
            var time = o.Cell.Spec.Time;
            if (r.Workers is null || time is null)
            {
                table.Row(o.Cell.Name, r.Index, "all", StalenessCounts.Total(r.StalenessCounts), StalenessCounts.Mean(r.StalenessCounts),
                    StalenessCounts.Max(r.StalenessCounts), "", "", "", "", "", "");
                AddHistogram(histogram, o.Cell.Name, r.Index, "all", r.StalenessCounts);
                continue;
            }
            for (var m = 0; m < r.Workers.Count; m++)
            {
                var w = r.Workers[m];
                table.Row(o.Cell.Name, r.Index, m, w.Updates, w.MeanStaleness, w.MaxStaleness,
                    w.ComputeSum / w.Updates, time.Compute.Declared(r.Seed, m, time.Workers).Mean,
                    w.UplinkSum / w.Updates, time.Uplink.Declared(r.Seed, m, time.Workers).Mean,
                    w.DownlinkSum / w.Downlinks, time.Downlink.Declared(r.Seed, m, time.Workers).Mean);
                AddHistogram(histogram, o.Cell.Name, r.Index, m.ToString(System.Globalization.CultureInfo.InvariantCulture), w.StalenessCounts);
            }
        }
        AtomicFile.Write(Path.Combine(folder, "staleness.csv"), table.ToString());
        AtomicFile.Write(Path.Combine(folder, "staleness_histogram.csv"), histogram.ToString());
    }

    static void AddHistogram(Csv csv, string cell, int replicate, string worker, long[] counts)
    {
        for (var s = 0; s < counts.Length; s++)
            if (counts[s] > 0) csv.Row(cell, replicate, worker, s, counts[s]);
    }

    public static void WriteTimings(string folder, IReadOnlyList<CellOutcome> outcomes, TimeSpan total, string engine)
    {
        var text = JsonText.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("engine", engine);
            json.WriteNumber("total_seconds", total.TotalSeconds);
            json.WriteStartArray("cells");
            foreach (var o in outcomes)
            {
                // Updates actually applied (the last checkpoint's step), not the budget's cap: a time-domain budget in
                // virtual seconds has no fixed T.
                var updates = (double)o.Replicates.Sum(r => r.Final.Iteration) * (o.Cell.Spec.Twins + 1);
                var rate = o.Resumed ? 0 : updates / o.Elapsed.TotalSeconds;
                json.WriteStartObject();
                json.WriteString("cell", o.Cell.Name);
                json.WriteBoolean("resumed", o.Resumed);
                json.WriteNumber("seconds", o.Elapsed.TotalSeconds);
                if (double.IsFinite(rate)) json.WriteNumber("trajectory_updates_per_second", rate);
                else json.WriteNull("trajectory_updates_per_second");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }, indented: true);
        AtomicFile.Write(Path.Combine(folder, "timings.json"), text + "\n");
    }
}

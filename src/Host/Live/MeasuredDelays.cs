using DelaySim.Host.Output;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Engine;
using MathNet.Numerics.Statistics;

namespace DelaySim.Host.Live;

/// <summary>
/// measured-delays.csv: per worker, what each part of a round took for real, from the trace's clock readings (worker
/// times moved to the coordinator's clock by the node's estimated offset), next to the declared mean where a model was
/// injected, and the sleeps' timing error (slept − asked).
/// </summary>
internal static class MeasuredDelays
{
    public static string Csv(Scenario scenario, Replicate replicate, LiveSection live, LiveOutcome outcome, IReadOnlyList<TraceRow> rows)
    {
        var time = replicate.Spec.Time!;
        var workers = time.Workers;
        double Declared(string role, Model.Delays.DelayModel model, int m) =>
            live.Inject.Contains(role) ? model.Declared(replicate.Seed, m, workers).Mean * live.TimeScale : double.NaN;
        var csv = new Csv(LiveFolder.DelaysHeader.Split(','));
        foreach (var worker in rows.Where(r => r.Event == "applied").GroupBy(r => r.Worker).OrderBy(g => g.Key))
        {
            var m = worker.Key;
            var all = worker.ToArray();
            double Offset(TraceRow r) => outcome.Clocks.TryGetValue(r.Host, out var c) ? c.Offset : 0;
            var quantities = new (string Name, double Declared, bool OnlyInjected)[]
            {
                ("downlink", Declared("downlink", time.Downlink, m), false),
                ("compute-real", double.NaN, false),
                ("compute-injected", Declared("compute", time.Compute, m), true),
                ("uplink-injected", Declared("uplink", time.Uplink, m), true),
                ("uplink-network", double.NaN, false),
                ("round-trip", double.NaN, false),
                ("sleep-error-compute", double.NaN, true),
                ("sleep-error-uplink", double.NaN, true),
            };
            foreach (var (name, declared, onlyInjected) in quantities)
            {
                var role = name.Contains("compute") ? "compute" : "uplink";
                if (onlyInjected && !live.Inject.Contains(role)) continue;
                var x = all.Select(r => LiveTrace.Quantities[name](r, Offset(r))).ToArray();
                csv.Row(m, string.Join(' ', all.Select(r => r.Host).Distinct()), name, x.Length, x.Mean(), x.Length > 1 ? x.StandardDeviation() : double.NaN,
                    x.Median(), x.Quantile(0.95), x.Maximum(), declared);
            }
        }
        return csv.ToString();
    }
}

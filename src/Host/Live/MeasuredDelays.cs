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
            // Each quantity, its declared mean where a model is injected, and the role whose injection it needs (null: always).
            var quantities = new (string Name, double Declared, string? Needs)[]
            {
                ("downlink", Declared("downlink", time.Downlink, m), null),
                ("compute-real", double.NaN, null),
                ("compute-injected", Declared("compute", time.Compute, m), "compute"),
                ("uplink-injected", Declared("uplink", time.Uplink, m), "uplink"),
                ("uplink-network", double.NaN, null),
                ("round-trip", double.NaN, null),
                ("sleep-error-compute", double.NaN, "compute"),
                ("sleep-error-uplink", double.NaN, "uplink"),
            };
            foreach (var (name, declared, needs) in quantities)
            {
                if (needs is not null && !live.Inject.Contains(needs)) continue;
                var x = all.Select(r => LiveTrace.Quantities[name](r, Offset(r))).ToArray();
                csv.Row(m, string.Join(' ', all.Select(r => r.Host).Distinct()), name, x.Length, x.Mean(), x.Length > 1 ? x.StandardDeviation() : double.NaN,
                    x.Median(), x.Quantile(0.95), x.Maximum(), declared);
            }
        }
        return csv.ToString();
    }
}

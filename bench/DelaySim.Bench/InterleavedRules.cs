using System.Diagnostics;
using DelaySim.Model.Engine;
using DelaySim.Model.Updates;
using DelaySim.Workloads;

namespace DelaySim.Bench;

/// <summary>
/// Each rule's update time relative to plain's, measured so that the VM's drift cancels: every round runs plain and
/// every rule once each, back to back in a shuffled order, and the ratio is taken within the round; the median over
/// rounds is reported. BenchmarkDotNet runs its cases one after another, so a drift between cases (±30 % on this VM)
/// lands in the ratio; here it cannot. Usage: <c>dotnet run -c Release -- --interleaved-rules [ROUNDS] [DIMENSION]</c>.
/// </summary>
internal static class InterleavedRules
{
    static readonly (string Name, UpdateRule Rule)[] Rules =
    [
        ("plain", UpdateRule.Plain),
        ("delay-adaptive", new DelayAdaptiveUpdate(4)),
        ("staleness-weighted", new StalenessWeightedUpdate(StalenessWeight.Polynomial, 0.5, 0)),
        ("momentum", new MomentumUpdate(0.5)),
        ("bounded-staleness", new BoundedStalenessUpdate(8)),
        ("delay-compensated", new DelayCompensatedUpdate(1)),
        ("buffered", new BufferedUpdate(4, Mean: true)),
    ];

    public static void Run(int rounds, int dimension)
    {
        var updates = dimension <= 100 ? 300_000 : 30_000;
        var workloads = Rules.Select(r => Throughput.Workload(dimension, updates, rule: r.Rule)).ToArray();
        foreach (var w in workloads) DirectEngine.Run(w, 0); // JIT and tiering before the first timed round
        var ratios = Rules.Select(_ => new List<double>()).ToArray();
        var plainSeconds = new List<double>();
        var order = new Random(1);
        for (var round = 0; round < rounds; round++)
        {
            var seconds = new double[Rules.Length];
            foreach (var k in Enumerable.Range(0, Rules.Length).OrderBy(_ => order.Next()))
            {
                var clock = Stopwatch.StartNew();
                DirectEngine.Run(workloads[k], 0);
                seconds[k] = clock.Elapsed.TotalSeconds;
            }
            plainSeconds.Add(seconds[0]);
            for (var k = 0; k < Rules.Length; k++) ratios[k].Add(seconds[k] / seconds[0]);
        }
        static double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
        static double Quantile(List<double> x, double q) => x.Order().ElementAt((int)Math.Round(q * (x.Count - 1)));
        Console.WriteLine($"d = {dimension}, {updates:N0} updates a run, {rounds} rounds; plain {1e9 * Median(plainSeconds) / updates:F0} ns an update (median)");
        Console.WriteLine("| rule | median ÷ plain | 10–90 % of rounds |");
        Console.WriteLine("|---|---|---|");
        for (var k = 1; k < Rules.Length; k++)
            Console.WriteLine($"| {Rules[k].Name} | {Median(ratios[k]):F3} | {Quantile(ratios[k], 0.1):F3}–{Quantile(ratios[k], 0.9):F3} |");
    }
}

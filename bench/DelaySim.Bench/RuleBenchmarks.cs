using BenchmarkDotNet.Attributes;
using DelaySim.Model.Engine;
using DelaySim.Model.Updates;
using DelaySim.Workloads;

namespace DelaySim.Bench;

/// <summary>
/// What each update rule costs per update against plain delayed SGD: the direct engine on the <see cref="Throughput"/>
/// workload (batch 1, τ = 4, no twins) at d = 22, where a rule's own work weighs most, and at d = 1,000.
/// </summary>
[MemoryDiagnoser]
public class RuleBenchmarks
{
    Replicate? _replicate;

    [Params(22, 1000)]
    public int Dimension { get; set; }

    [Params("plain", "delay-adaptive", "staleness-weighted", "momentum", "bounded-staleness", "delay-compensated", "buffered")]
    public string Rule { get; set; } = "plain";

    public int Updates => Dimension == 22 ? 1_000_000 : 100_000;

    [GlobalSetup]
    public void Setup() => _replicate = Throughput.Workload(Dimension, Updates, rule: Rule switch
    {
        "delay-adaptive" => new DelayAdaptiveUpdate(4),
        "staleness-weighted" => new StalenessWeightedUpdate(StalenessWeight.Polynomial, 0.5, 0),
        "momentum" => new MomentumUpdate(0.5),
        "bounded-staleness" => new BoundedStalenessUpdate(8),
        "delay-compensated" => new DelayCompensatedUpdate(1),
        "buffered" => new BufferedUpdate(4, Mean: true),
        _ => UpdateRule.Plain,
    });

    [Benchmark]
    public ReplicateResult Direct() => DirectEngine.Run(_replicate!, 0);
}

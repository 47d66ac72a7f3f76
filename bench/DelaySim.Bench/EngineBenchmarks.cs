using DelaySim.Workloads;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using DelaySim.Actors;
using DelaySim.Host;
using DelaySim.Host.Pipeline;
using DelaySim.Model.Engine;

namespace DelaySim.Bench;

/// <summary>
/// Updates per second of both engines on the <see cref="Throughput"/> workload (batch 1, τ = 4, no twins).
/// Each invocation runs <see cref="Updates"/> updates, so updates/s = Updates / (mean time).
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    ActorSystem? _system;
    Replicate? _replicate;

    [Params(22, 1000, 5000)]
    public int Dimension { get; set; }

    public int Updates => Dimension switch { 22 => 1_000_000, 1000 => 100_000, _ => 20_000 };

    [GlobalSetup]
    public void Setup()
    {
        _system = AkkaSetup.CreateSystem();
        _replicate = Throughput.Workload(Dimension, Updates);
    }

    [GlobalCleanup]
    public void Cleanup() => _system?.Terminate().Wait();

    [Benchmark(Baseline = true)]
    public ReplicateResult Direct() => DirectEngine.Run(_replicate!, 0);

    [Benchmark]
    public ReplicateResult Actors() => ActorEngine.RunAsync(_system!, _replicate!, 0, TimeSpan.FromMinutes(10), AkkaSetup.LaneDispatcher(0)).GetAwaiter().GetResult();
}

using BenchmarkDotNet.Attributes;
using DelaySim.Host.Live;

namespace DelaySim.Bench;

/// <summary>
/// What recording costs a live run per applied gradient: one trace.csv row written and flushed (the live server's
/// only extra work per update), next to a gradient message's serialization at d = 22 and 5,000 for scale.
/// </summary>
[MemoryDiagnoser]
public class LiveBenchmarks
{
    string _folder = "";
    TraceWriter? _trace;
    TraceRow _row = null!;
    DelaySim.Host.Cluster.ClusterSerializer? _serializer;
    LiveGradient? _gradient;

    [Params(22, 5000)]
    public int Dimension { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("delaysim-bench-").FullName;
        _trace = new TraceWriter(_folder);
        _row = new TraceRow("applied", 123456, 3, 123450, [17, 512, 3, 99], "127.0.0.1:4053",
            12968.276937641, 12968.301535702, 12968.336610846, 12968.338685895, 12968.340970759, 12968.368606272, 0, 0.002072206, 0.002278369);
        var system = Akka.Actor.ActorSystem.Create("bench");
        _serializer = new DelaySim.Host.Cluster.ClusterSerializer((Akka.Actor.ExtendedActorSystem)system);
        _gradient = new LiveGradient(3, 123450, Enumerable.Range(0, Dimension).Select(i => i * 0.001).ToArray(), [17, 512, 3, 99], 1, 2, 3, 4, 0, 0, 0, 0, 0);
    }

    [Benchmark]
    public void TraceRow()
    {
        _trace!.Write(_row);
        if (_trace.Rows.Count > 100_000) _trace.Rows.Clear(); // the live server keeps its rows; keep the benchmark's memory flat
    }

    [Benchmark]
    public object GradientRoundTrip() => _serializer!.FromBinary(_serializer.ToBinary(_gradient!), nameof(LiveGradient));

    [GlobalCleanup]
    public void Cleanup()
    {
        _trace?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

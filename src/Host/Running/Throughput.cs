using System.Diagnostics;
using Akka.Actor;
using DelaySim.Actors;
using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.Problems;

namespace DelaySim.Host.Running;

/// <summary>One throughput measurement: trajectory updates per wall-clock second.</summary>
public sealed record ThroughputSample(string Engine, int Dimension, long Updates, double Seconds)
{
    public double UpdatesPerSecond => Updates / Seconds;
}

/// <summary>
/// The workload behind <c>delaysim bench</c> and the BenchmarkDotNet suite: single-sample delayed SGD on synthetic
/// least squares, fixed τ = 4 (history ring in use), no twins, losses evaluated only at the start and the end.
/// </summary>
public static class Throughput
{
    public const int Tau = 4;

    public static Replicate Workload(int dimension, int iterations)
    {
        var generator = new SyntheticRegression(dimension, 0.5, 0, 1.0 / dimension, 1);
        var spec = new CellSpec(new ProblemSpec("least-squares"), new SyntheticSource(generator, 512, 16), new FixedStaleness(Tau),
            0.01, iterations, 1, Sampling.Uniform, 0, iterations, 0, Tau + 1);
        return Replicate.Prepare(spec, 7);
    }

    /// <summary>
    /// Runs about <paramref name="seconds"/> of work, after calibration runs that take at least half a second in all:
    /// the first runs are 2–10× slower while tiered JIT recompiles the hot loops, so they are not measured.
    /// </summary>
    public static ThroughputSample Measure(EngineKind engine, int dimension, double seconds, ActorSystem? system)
    {
        var iterations = 2_000;
        var warm = 0.0;
        while (true)
        {
            var elapsed = Time(engine, Workload(dimension, iterations), system);
            warm += elapsed;
            if ((elapsed >= seconds / 4 && warm >= 0.5) || iterations >= 100_000_000)
            {
                iterations = (int)Math.Min(200_000_000, iterations * seconds / Math.Max(elapsed, 1e-3));
                return new ThroughputSample(engine.ToString().ToLowerInvariant(), dimension, iterations, Time(engine, Workload(dimension, iterations), system));
            }
            if (elapsed < seconds / 4) iterations *= 4;
        }
    }

    static double Time(EngineKind engine, Replicate replicate, ActorSystem? system)
    {
        var watch = Stopwatch.StartNew();
        if (engine == EngineKind.Direct) DirectEngine.Run(replicate, 0);
        else ActorEngine.RunAsync(system!, replicate, 0, SweepRunner.ReplicateTimeout, AkkaSetup.LaneDispatcher(0)).GetAwaiter().GetResult();
        return watch.Elapsed.TotalSeconds;
    }
}

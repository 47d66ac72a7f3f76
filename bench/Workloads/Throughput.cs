using System.Diagnostics;
using Akka.Actor;
using DelaySim.Actors;
using DelaySim.Host;
using DelaySim.Host.Pipeline;
using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Model.Problems;
using DelaySim.Model.Delays;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Workloads;

/// <summary>One throughput measurement: trajectory updates per wall-clock second.</summary>
internal sealed record ThroughputSample(string Engine, int Dimension, long Updates, double Seconds)
{
    public double UpdatesPerSecond => Updates / Seconds;
}

/// <summary>
/// The workload behind <c>delaysim bench</c> and the BenchmarkDotNet suite (this file lives in bench/ and is compiled into
/// the executable, so both time the same thing): single-sample delayed SGD on synthetic
/// least squares, fixed τ = 4 (history ring in use), no twins, losses evaluated only at the start and the end.
/// </summary>
internal static class Throughput
{
    public const int Tau = 4;

    public static Replicate Workload(int dimension, int iterations, bool timeDomain = false, Model.Updates.UpdateRule? rule = null)
    {
        var generator = new SyntheticRegression(dimension, 0.5, 0, 1.0 / dimension, 1);
        var spec = new CellSpec(new ProblemSpec(ProblemKind.LeastSquares), new SyntheticSource(generator, 512, 16), new FixedStaleness(Tau),
            0.01, iterations, 1, Sampling.Uniform, 0, iterations, 0, Tau + 1, timeDomain ? TimeWorkers : null) { Rule = rule ?? Model.Updates.UpdateRule.Plain };
        return Replicate.Prepare(spec, 7);
    }

    /// <summary>The time-domain workload: 16 workers, exponential compute times, gamma uplink, constant downlink.</summary>
    static readonly TimeDomainSpec TimeWorkers = new(16, ApplyPolicy.Each, DataPlacement.Shared,
        new IidModel(new ExponentialDelay(0.01)), new IidModel(new GammaDelay(2, 0.001)), new IidModel(new ConstantDelay(0.0005)), "bench");

    /// <summary>Delay models timed by <see cref="DrawsPerSecond"/>: the simple marginals and copula-correlated ones.</summary>
    public static readonly (string Name, DelayModel Model)[] DelayModels =
    [
        ("uniform", new IidModel(new UniformDelay(0.001, 0.003))),
        ("exponential", new IidModel(new ExponentialDelay(0.01))),
        ("lognormal", new IidModel(new LogNormalDelay(-4, 0.5))),
        ("pareto", new IidModel(new ParetoDelay(3, 0.004))),
        ("gamma", new IidModel(new GammaDelay(2, 0.005))),
        ("copula AR(1) exponential", new CopulaModel(new ExponentialDelay(0.01), [0.9])),
        ("copula AR(1) lognormal", new CopulaModel(new LogNormalDelay(-4, 0.5), [0.9])),
        ("copula AR(1) gamma", new CopulaModel(new GammaDelay(2, 0.005), [0.9])),
    ];

    /// <summary>Draws per second from one stream of <paramref name="model"/>, on one thread, after a warm-up.</summary>
    public static double DrawsPerSecond(DelayModel model, double seconds)
    {
        var stream = model.Open(1, "bench", 1)[0];
        var sink = 0.0;
        for (var i = 0; i < 200_000; i++) sink += stream.Next(0);
        var draws = 0L;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 100_000; i++) sink += stream.Next(0);
            draws += 100_000;
        }
        GC.KeepAlive(sink);
        return draws / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Runs about <paramref name="seconds"/> of work, after calibration runs that take at least 1.5 s in all:
    /// the first runs are 2–10× slower while tiered JIT recompiles the hot loops, so they are not measured.
    /// </summary>
    public static ThroughputSample Measure(EngineKind engine, int dimension, double seconds, ActorSystem? system, bool timeDomain = false)
    {
        var iterations = 2_000;
        var warm = 0.0;
        while (true)
        {
            var elapsed = Time(engine, Workload(dimension, iterations, timeDomain), system);
            warm += elapsed;
            if ((elapsed >= seconds / 4 && warm >= 1.5) || iterations >= 100_000_000)
            {
                iterations = (int)Math.Min(200_000_000, iterations * seconds / Math.Max(elapsed, 1e-3));
                return new ThroughputSample(engine.ToString().ToLowerInvariant(), dimension, iterations, Time(engine, Workload(dimension, iterations, timeDomain), system));
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

using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.Problems;
using DelaySim.Model.StalenessDomain;

namespace DelaySim.Tests.Support;

/// <summary>
/// Model fixtures built directly, without HOCON or Host: a staleness-domain cell on small synthetic least squares
/// (the same cell <see cref="Scenarios.Small"/> describes). Change what a test varies with <c>with { … }</c>.
/// </summary>
internal sealed record SpecBuilder
{
    public int N { get; init; } = 40;
    public int NTest { get; init; } = 200;
    public int Dimension { get; init; } = 12;
    public double Noise { get; init; } = 0.3;
    public double SpectrumDecay { get; init; } = 1;
    /// <summary>The scenario's master seed, which seeds the synthetic law (w*).</summary>
    public ulong DataSeed { get; init; } = 11;
    public IStaleness Staleness { get; init; } = new FixedStaleness(0);
    public double Eta { get; init; } = 0.05;
    public int Iterations { get; init; } = 300;
    public int Batch { get; init; } = 2;
    public Sampling Sampling { get; init; } = Sampling.Uniform;
    public int Twins { get; init; } = 3;
    public int CheckpointEvery { get; init; } = 50;

    public static SpecBuilder Fixed(int tau) => new() { Staleness = new FixedStaleness(tau) };

    public static SpecBuilder Uniform(int maxTau) => new() { Staleness = new UniformStaleness(maxTau) };

    /// <summary>A delay named as a scenario names it (<c>fixed</c> or <c>uniform</c>), for test data rows.</summary>
    public static SpecBuilder Of(string kind, int tau) => kind switch
    {
        "fixed" => Fixed(tau),
        "uniform" => Uniform(tau),
        _ => throw new ArgumentException($"unknown delay kind '{kind}'"),
    };

    public CellSpec Build() => new(
        new ProblemSpec(ProblemKind.LeastSquares, 0, null),
        new SyntheticSource(new SyntheticRegression(Dimension, Noise, SpectrumDecay, 1, DataSeed), N, NTest),
        Staleness, Eta, Iterations, Batch, Sampling, Twins, CheckpointEvery, InitSd: 0, Workers: Staleness.Max + 1);

    public Replicate Replicate(ulong seed = 5) => DelaySim.Model.Engine.Replicate.Prepare(Build(), seed);
}

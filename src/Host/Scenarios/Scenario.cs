namespace DelaySim.Host.Scenarios;

/// <summary>
/// A resolved scenario: every key with its value, defaults filled in. Serialized (kebab-case, declaration order) into
/// manifest.json; the SHA-256 of that JSON is the scenario hash. File paths are kept as written, relative to
/// <see cref="BaseDirectory"/>, so the hash does not depend on where the project is checked out.
/// </summary>
public sealed record Scenario(
    string Name,
    ulong Seed,
    int Seeds,
    ProblemSection Problem,
    DataSection Data,
    OptimizerSection Optimizer,
    DelaySection Delay,
    int Workers,
    StabilitySection Stability,
    OutputSection Output)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string BaseDirectory { get; init; } = ".";
}

public sealed record ProblemSection(string Kind, double L2);

/// <summary>Exactly one of <see cref="Synthetic"/> and <see cref="Libsvm"/> is set.</summary>
public sealed record DataSection(SyntheticSection? Synthetic, LibSvmSection? Libsvm);

public sealed record SyntheticSection(int N, int NTest, int Dimension, double Noise, double SpectrumDecay, double SpectrumScale);

public sealed record LibSvmSection(string Train, string? Test, double TestFraction, string Labels, int Features);

public sealed record OptimizerSection(double Eta, int Iterations, int Batch, string Sampling, double InitSd);

/// <summary>Each value of <see cref="Tau"/> is one cell: τ for <c>fixed</c>, the maximum τ̂ for <c>uniform</c>.</summary>
public sealed record DelaySection(string Kind, int[] Tau);

public sealed record StabilitySection(int Twins);

public sealed record OutputSection(int CheckpointEvery);

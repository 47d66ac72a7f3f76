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
    SimulationSection Simulation,
    DelaySection? Delay,
    int Workers,
    StabilitySection Stability,
    OutputSection Output,
    IReadOnlyList<SweepDimension> Sweep,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<DelaySim.Model.Engine.TimelineEntry>? Timeline)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string BaseDirectory { get; init; } = ".";

    /// <summary>The scenario text exactly as read (file, then any --set lines), for the run folder's scenario.hocon.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Text { get; init; } = "";

    /// <summary>Where the text came from (a path, or the built-in default).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Origin { get; init; } = "";

    /// <summary>With a sweep: one resolved scenario per grid point, named by its values (e.g. <c>n=64,eta=0.1</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<(string Name, Scenario Scenario)> Variants { get; init; } = [];
}

/// <summary>
/// A sweep dimension: key paths and the points it takes, each point one value per path (as written). A plain
/// <c>"key" = [..]</c> has one path; a <c>zip { "a" = [..], "b" = [..] }</c> advances its lists together.
/// </summary>
public sealed record SweepDimension(string[] Paths, string[][] Points);

public sealed record ProblemSection(string Kind, double L2, int[]? Hidden);

/// <summary>Exactly one of <see cref="Synthetic"/>, <see cref="Libsvm"/> and <see cref="Idx"/> is set.</summary>
public sealed record DataSection(SyntheticSection? Synthetic, LibSvmSection? Libsvm, IdxSection? Idx = null);

/// <summary>idx images and labels (MNIST, Fashion-MNIST); without test files the set is split; <see cref="Classes"/> keeps a subset.</summary>
public sealed record IdxSection(string Images, string Labels, string? TestImages, string? TestLabels, double TestFraction, int[]? Classes);

public sealed record SyntheticSection(int N, int NTest, int Dimension, double Noise, double SpectrumDecay, double SpectrumScale);

public sealed record LibSvmSection(string Train, string? Test, double TestFraction, string Labels, int Features, string Storage = "auto");

/// <summary>
/// η and its schedule, and the budget: exactly one of <see cref="Iterations"/> (server steps), <see cref="Epochs"/>
/// (samples processed / n) and <see cref="Gradients"/> (worker gradients applied).
/// </summary>
public sealed record OptimizerSection(double Eta, string Schedule, double DecaySteps, int? Iterations, double? Epochs, long? Gradients, int Batch, string Sampling, double InitSd);

/// <summary>
/// Which delay domain runs: <c>staleness</c> (τ_t from <see cref="Scenario.Delay"/>), <c>time</c> (staleness emerges from
/// compute and link times) or <c>parameter-server</c> (the paper's schedule, a preset of the time domain).
/// </summary>
public sealed record SimulationSection(string Domain, TimeSection? Time, ParameterServerSection? ParameterServer);

/// <summary>The time domain; <see cref="Compute"/>, <see cref="Uplink"/>, <see cref="Downlink"/> keep each delay model's HOCON as written.</summary>
public sealed record TimeSection(int Workers, string Apply, string Data, string Compute, string Uplink, string Downlink);

/// <summary>The paper's schedule: each value of <see cref="D"/> is one cell; <see cref="Delays"/> is <c>fixed</c> or <c>random</c>.</summary>
public sealed record ParameterServerSection(int Workers, string Delays, int[] D);

/// <summary>Each value of <see cref="Tau"/> is one cell: τ for <c>fixed</c>, the maximum τ̂ for <c>uniform</c>.</summary>
public sealed record DelaySection(string Kind, int[] Tau);

/// <param name="IndependentDelays">Twins draw their own delays (staleness and time domains).</param>
public sealed record StabilitySection(int Twins, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool IndependentDelays = false);

public sealed record OutputSection(int CheckpointEvery);

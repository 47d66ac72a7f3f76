namespace DelaySim.Host.Scenarios;

/// <summary>
/// A resolved scenario: every key with its value, defaults filled in. Serialized (kebab-case, declaration order) into
/// manifest.json; the SHA-256 of that JSON is the scenario hash. File paths are kept as written, relative to
/// <see cref="BaseDirectory"/>, so the hash does not depend on where the project is checked out.
/// </summary>
internal sealed record Scenario(
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

    /// <summary><c>contrasts.baseline</c>: per swept key path (or <c>delay</c>), the value its contrasts are taken against; null means each dimension's first value.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? ContrastBaselines { get; init; }

    /// <summary>The run-folder format the scenario's files are written in (<see cref="DelaySim.Host.Output.RunFormat"/>): the current one, or an older folder's when it is verified or resumed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Format { get; init; } = DelaySim.Host.Output.RunFormat.Current;

    /// <summary>The <c>live { … }</c> block: how <c>delaysim live</c> runs the scenario for real; <c>run</c> simulates it and ignores the block. Not in the hash.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public LiveSection? Live { get; init; }

    /// <summary>Where the text came from (a path, or the built-in default).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Origin { get; init; } = "";

    /// <summary>With a sweep: one resolved scenario per grid point.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<(SweepPoint Point, Scenario Scenario)> Variants { get; init; } = [];
}

/// <summary>One point of a sweep's grid: a value for each swept key path, in sweep order.</summary>
internal sealed record SweepPoint(IReadOnlyList<SweepValue> Values)
{
    public static readonly SweepPoint None = new([]);

    /// <summary>How cell names show the point, e.g. <c>n=64;eta=0.1</c>; empty without a sweep.</summary>
    public string Name => string.Join(';', Values.Select(v => v.Label));

    /// <summary>The name run folders of format 1 gave the point (<see cref="SweepValue.LegacyLabel"/>), so their reruns keep their bytes.</summary>
    public string LegacyName => string.Join(';', Values.Select(v => v.LegacyLabel));

    /// <summary>The value (or label, for labelled blocks) the point gives the swept key <paramref name="path"/>.</summary>
    public string ValueOf(string path) => Values.First(v => v.Path == path).Value;

    /// <summary>The labels of the values whose path <paramref name="exclude"/> does not select.</summary>
    public IEnumerable<string> LabelsWithout(Func<string, bool> exclude) => Values.Where(v => !exclude(v.Path)).Select(v => v.Label);
}

/// <summary>
/// A swept key's value at one point; <paramref name="Label"/> names it in cell names: <c>key=value</c> with the shortest
/// suffix of the path that no other swept path ends with (<c>n=64</c>, <c>good.mean=0.005</c>).
/// </summary>
internal sealed record SweepValue(string Path, string Value, string Label)
{
    /// <summary>Format 1's label: the last segment, or the whole path where the last segment is ambiguous.</summary>
    public string LegacyLabel { get; init; } = Label;
}

/// <summary>How the base η depends on the cell's delay τ.</summary>
internal enum EtaSchedule { Constant, InverseTau, InverseTauPlusOne, Decay }

/// <summary>Which delay domain runs; see <see cref="SimulationSection"/>.</summary>
internal enum Domain { Staleness, Time, ParameterServer }

/// <summary>The staleness domain's τ_t: fixed, or uniform on {0..τ̂}.</summary>
internal enum DelayKind { Fixed, Uniform, Trace, Model, Replay }

/// <summary>The parameter server's periods: all equal to D, or the paper's random draw.</summary>
internal enum PeriodKind { Fixed, Random }

/// <summary>What the parameter server's <c>iterations</c> and checkpoints count: server steps, empty ones included (the official code), or applied updates.</summary>
internal enum StepCount { Steps, Updates }

/// <summary>
/// A sweep dimension: key paths and the points it takes, each point one value per path (as written). A plain
/// <c>"key" = [..]</c> has one path; a <c>zip { "a" = [..], "b" = [..] }</c> advances its lists together; a labelled
/// <c>"key" { label = value or block, … }</c> (<see cref="Labelled"/>) takes whole blocks, named by their labels.
/// </summary>
internal sealed record SweepDimension(string[] Paths, string[][] Points)
{
    /// <summary>
    /// For a labelled dimension: the HOCON text of each label's value (a whole block, substitutions resolved), in the
    /// order of <see cref="Points"/>, which then hold the labels. Null for lists (and then not in the scenario hash).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Blocks { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Labelled => Blocks is not null;
}

internal sealed record ProblemSection(DelaySim.Model.Problems.ProblemKind Kind, double L2, int[]? Hidden);

/// <summary>Exactly one of <see cref="Synthetic"/>, <see cref="Libsvm"/> and <see cref="Idx"/> is set.</summary>
internal sealed record DataSection(SyntheticSection? Synthetic, LibSvmSection? Libsvm, IdxSection? Idx = null);

/// <summary>idx images and labels (MNIST, Fashion-MNIST); without test files the set is split; <see cref="Classes"/> keeps a subset.</summary>
internal sealed record IdxSection(string Images, string Labels, string? TestImages, string? TestLabels, double TestFraction, int[]? Classes);

internal sealed record SyntheticSection(int N, int NTest, int Dimension, double Noise, double SpectrumDecay, double SpectrumScale,
    // Left out of the scenario's JSON when it is the default, so that scenarios from before the key keep their hash.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    Model.Randomness.GaussianSampler Sampler = Model.Randomness.GaussianSampler.Polar);

internal sealed record LibSvmSection(string Train, string? Test, double TestFraction, DelaySim.Model.Data.LabelMode Labels, int Features, DelaySim.Model.Data.Storage Storage = DelaySim.Model.Data.Storage.Auto);

/// <summary>
/// η and its schedule, and the budget: exactly one of <see cref="Iterations"/> (server steps), <see cref="Epochs"/>
/// (samples processed / n) and <see cref="Gradients"/> (worker gradients applied).
/// </summary>
internal sealed record OptimizerSection(double Eta, EtaSchedule Schedule, double DecaySteps, int? Iterations, double? Epochs, long? Gradients, int Batch, DelaySim.Model.Engine.Sampling Sampling, double InitSd)
{
    /// <summary>The update rule (<c>optimizer.rule</c>); null for <c>plain</c>, so scenarios without a rule keep their hash.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RuleSection? Rule { get; init; }
}

/// <summary>The update rules <c>optimizer.rule.kind</c> names.</summary>
internal enum RuleKind { Plain, DelayAdaptive, StalenessWeighted, Momentum, BoundedStaleness, DelayCompensated, Buffered }

/// <summary>How <c>buffered</c> combines the gradients it holds.</summary>
internal enum BufferCombine { Mean, Sum }

/// <summary>What bounded staleness does with a gradient too stale: drop it, or make the worker wait (SSP).</summary>
internal enum BoundedPolicy { Drop, Wait }

/// <summary>
/// <c>optimizer.rule</c>: the kind and the parameters it takes (the others null). <see cref="Scale"/> null means the
/// cell's number of workers.
/// </summary>
internal sealed record RuleSection(RuleKind Kind, double? Scale = null, DelaySim.Model.Updates.StalenessWeight? Weight = null, double? A = null, double? B = null, double? Beta = null, int? Max = null, double? Lambda = null, int? Size = null, BufferCombine? Combine = null)
{
    /// <summary>Bounded staleness: drop (default, not in the hash) or wait (stale-synchronous, time domain).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public BoundedPolicy? Policy { get; init; }

    /// <summary>The Model rule for a cell with <paramref name="workers"/> workers.</summary>
    public DelaySim.Model.Updates.UpdateRule Build(int workers) => Kind switch
    {
        RuleKind.DelayAdaptive => new DelaySim.Model.Updates.DelayAdaptiveUpdate(Scale ?? workers),
        RuleKind.StalenessWeighted => new DelaySim.Model.Updates.StalenessWeightedUpdate(Weight!.Value, A ?? 0, B ?? 0),
        RuleKind.Momentum => new DelaySim.Model.Updates.MomentumUpdate(Beta!.Value),
        RuleKind.BoundedStaleness => new DelaySim.Model.Updates.BoundedStalenessUpdate(Max!.Value, Policy == BoundedPolicy.Wait),
        RuleKind.DelayCompensated => new DelaySim.Model.Updates.DelayCompensatedUpdate(Lambda!.Value),
        RuleKind.Buffered => new DelaySim.Model.Updates.BufferedUpdate(Size!.Value, Combine != BufferCombine.Sum,
            Weight is { } w ? new DelaySim.Model.Updates.StalenessWeightedUpdate(w, A ?? 0, B ?? 0) : null),
        _ => DelaySim.Model.Updates.UpdateRule.Plain,
    };
}

/// <summary>
/// Which delay domain runs: <c>staleness</c> (τ_t from <see cref="Scenario.Delay"/>), <c>time</c> (staleness emerges from
/// compute and link times) or <c>parameter-server</c> (the paper's schedule, a preset of the time domain).
/// </summary>
internal sealed record SimulationSection(Domain Domain, TimeSection? Time, ParameterServerSection? ParameterServer);

/// <summary>
/// The time domain. <see cref="Compute"/>, <see cref="Uplink"/>, <see cref="Downlink"/> keep each delay model's HOCON as
/// written (so the manifest and the scenario hash show them); <see cref="Models"/> holds the same models read once.
/// </summary>
internal sealed record TimeSection(int Workers, DelaySim.Model.TimeDomain.ApplyPolicy Apply, DelaySim.Model.TimeDomain.DataPlacement Data, string Compute, string Uplink, string Downlink)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public (DelaySim.Model.Delays.DelayModel Compute, DelaySim.Model.Delays.DelayModel Uplink, DelaySim.Model.Delays.DelayModel Downlink) Models { get; init; }
}

/// <summary>The paper's schedule: each value of <see cref="D"/> is one cell; <see cref="Delays"/> is <c>fixed</c> or <c>random</c>.</summary>
internal sealed record ParameterServerSection(int Workers, PeriodKind Delays, int[] D, StepCount Count = StepCount.Steps);

/// <summary>Each value of <see cref="Tau"/> is one cell: τ for <c>fixed</c>, the maximum τ̂ for <c>uniform</c>.</summary>
internal sealed record DelaySection(DelayKind Kind, int[] Tau)
{
    /// <summary>With <c>kind = trace</c>: the staleness file as written, its column, whether it wraps around; null otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public StalenessTraceSection? Trace { get; init; }

    /// <summary>With <c>kind = replay</c>: the recording (a live run's trace.csv) as written; null otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public StalenessReplaySection? Replay { get; init; }

    /// <summary>With <c>kind = model</c>: the delay model's HOCON as written and the cap τ̂; null otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public StalenessModelSection? Model { get; init; }
}

/// <summary>A delay model read as steps; <see cref="Staleness"/> holds it parsed once.</summary>
internal sealed record StalenessModelSection(string Text, int Max)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public DelaySim.Model.StalenessDomain.ModelStaleness? Staleness { get; init; }
}

/// <summary>A measured staleness sequence: <see cref="Values"/> are read once, when the scenario is.</summary>
internal sealed record StalenessTraceSection(string File, int Column, bool Repeat)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public DelaySim.Model.StalenessDomain.TraceStaleness? Staleness { get; init; }
}

/// <summary>
/// <c>live { time-scale, inject, max-wall }</c>: virtual seconds of the delay models → wall seconds, which of the
/// compute, uplink and downlink models are slept for real on top of what the hardware does, and a wall-clock limit.
/// </summary>
internal sealed record LiveSection(double TimeScale, IReadOnlyList<string> Inject, double MaxWallSeconds);

/// <summary>A recording replayed step by step; <see cref="Staleness"/> holds it read once (its versions and samples).</summary>
/// <param name="Sha256">The recording's <see cref="DelaySim.Model.StalenessDomain.ReplayStaleness.Fingerprint"/>: in the scenario hash, so two recordings never share a run folder.</param>
internal sealed record StalenessReplaySection(string File, string Sha256)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public DelaySim.Model.StalenessDomain.ReplayStaleness? Staleness { get; init; }
}

/// <param name="IndependentDelays">Twins draw their own delays (staleness and time domains).</param>
internal sealed record StabilitySection(int Twins, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool IndependentDelays = false);

internal sealed record OutputSection(int CheckpointEvery)
{
    /// <summary><c>output.cell-names</c>: a template for sweep cells' names (<c>"{uplink} eta={eta}"</c>); null for <c>key=value;…</c>, so scenarios without it keep their hash.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? CellNames { get; init; }
}

namespace DelaySim.Model.Engine;

/// <summary>Losses of trajectory 0 after <paramref name="Iteration"/> updates, and the twin distances at that point.</summary>
/// <param name="PopulationRisk">Exact F(w) for synthetic data, NaN where the law is unknown.</param>
/// <param name="TwinL2">(1/K) Σ_k ‖w_t − w_t^(k)‖₂, NaN without twins.</param>
/// <param name="TwinL2Squared">(1/K) Σ_k ‖w_t − w_t^(k)‖₂², NaN without twins.</param>
public sealed record Checkpoint(
    long Iteration,
    double TrainLoss,
    double TestLoss,
    double PopulationRisk,
    double TwinL2,
    double TwinL2Squared)
{
    public double GenGap => TestLoss - TrainLoss;

    /// <summary>A checkpoint of a <see cref="Replicate.Part"/>: only its step; the whole replicate is evaluated at the merge.</summary>
    public static Checkpoint Unevaluated(long iteration) => new(iteration, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
}

/// <summary>What one replicate produced. <see cref="FinalParameters"/> are the bits both engines must agree on.</summary>
/// <param name="StabilityLoss">(1/K) Σ_k [f(w_T^(k); z_{i_k}) − f(w_T; z_{i_k})], the loss form of average stability.</param>
/// <param name="StalenessCounts">StalenessCounts[s] = number of updates applied with staleness s (t − v_t).</param>
public sealed record ReplicateResult(
    int Index,
    ulong Seed,
    IReadOnlyList<Checkpoint> Checkpoints,
    double StabilityLoss,
    long[] StalenessCounts,
    double[][] FinalParameters)
{
    public Checkpoint Final => Checkpoints[^1];

    /// <summary>
    /// The parameters at each checkpoint, kept only when the replicate is a <see cref="Replicate.Part"/>: the whole
    /// replicate's measurements need every trajectory's parameters at once (see <see cref="TimeDomain.IndependentTwins"/>).
    /// </summary>
    public IReadOnlyList<(long Iteration, double[][] Parameters)>? RawCheckpoints { get; init; }

    /// <summary>
    /// The sample variance of the twins' stability terms (<see cref="Evaluator.StabilityTerms"/>): how much of the
    /// estimate's noise more twins would remove. Known in the process that ran the replicate (and sent beside a cell run
    /// on another node); NaN for a cell read back from its file (resumed), which keeps only the mean.
    /// </summary>
    public double StabilityTwinVariance { get; init; } = double.NaN;

    /// <summary>Per-worker staleness and realized times (time domain only).</summary>
    public IReadOnlyList<TimeDomain.WorkerStats>? Workers { get; init; }

    /// <summary>See <see cref="Divergence.Diverged"/>.</summary>
    public bool Diverged => Divergence.Diverged(Checkpoints);
}

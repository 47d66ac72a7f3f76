using DelaySim.Model.Data;
using DelaySim.Model.Problems;
using DelaySim.Model.StalenessDomain;

namespace DelaySim.Model.Engine;

/// <summary>
/// Everything one cell of a sweep needs, fully resolved: every replicate of the cell runs this with its own seed.
/// </summary>
/// <param name="Eta">The cell's base learning rate η (already scaled by the cell's τ for the 1/τ schedules).</param>
/// <param name="Iterations">T, the number of server steps (updates).</param>
/// <param name="Batch">Mini-batch size b.</param>
/// <param name="Twins">K, the number of coupled perturbed runs S^(i) measured for stability.</param>
/// <param name="CheckpointEvery">Evaluate losses every this many steps (and at 0 and T).</param>
/// <param name="InitSd">Initial weights are N(0, InitSd²); biases start at 0.</param>
/// <param name="Workers">Worker actors computing gradients in the staleness domain (results do not depend on it).</param>
/// <param name="Time">The time-domain setup; when set, <paramref name="Staleness"/> is not used and staleness emerges from timing.</param>
public sealed record CellSpec(
    ProblemSpec Problem,
    IDataSource Data,
    IStaleness Staleness,
    double Eta,
    int Iterations,
    int Batch,
    Sampling Sampling,
    int Twins,
    int CheckpointEvery,
    double InitSd,
    int Workers,
    TimeDomain.TimeDomainSpec? Time = null)
{
    /// <summary>What the delay is, for tables: the staleness process or the time-domain setup.</summary>
    public string DelayLabel => Time?.Label ?? Staleness.Label;

    /// <summary>With a positive value, η_t = η / (1 + t / DecaySteps); otherwise η is constant.</summary>
    public double DecaySteps { get; init; }

    /// <summary>Time domain: stop once this many worker gradients have been applied (the update that reaches it is applied whole).</summary>
    public long GradientBudget { get; init; } = long.MaxValue;

    /// <summary>
    /// Twins draw their own delays instead of sharing trajectory 0's; they still share its initial point and sample
    /// order. Staleness domain: streams "delay/twin/k". Time domain: each twin runs alone with streams
    /// "compute/twin/k", "uplink/twin/k", "downlink/twin/k" (see <see cref="TimeDomain.IndependentTwins"/>).
    /// </summary>
    public bool IndependentTwinDelays { get; init; }

    /// <summary>What the server does with each gradient (see <see cref="Updates.UpdateRule"/>).</summary>
    public Updates.UpdateRule Rule { get; init; } = Updates.UpdateRule.Plain;

    /// <summary>Scripted changes during the run.</summary>
    public Timeline Timeline { get; init; } = Timeline.Empty;

    /// <summary>The largest staleness any step can have: the process's τ̂ or a timeline's τ; sizes the history ring.</summary>
    public int MaxStaleness => Math.Max(Staleness.Max, Timeline.MaxTau);

    /// <summary>η_t, the step size of server step t (both engines call this, so they multiply by the same double).</summary>
    public double EtaAt(long step)
    {
        var eta = DecaySteps > 0 ? Eta / (1 + step / DecaySteps) : Eta;
        return Timeline.Entries.Count == 0 ? eta : eta * Timeline.EtaFactor(step);
    }
}

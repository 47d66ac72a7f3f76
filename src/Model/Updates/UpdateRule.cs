using DelaySim.Model.Problems;

namespace DelaySim.Model.Updates;

/// <summary>
/// What the server does with one (possibly stale) gradient: the update rule. Every server of every domain calls it, in
/// both engines, so adding a rule is one new subtype here and nothing else. A rule is a value in the cell's spec; the
/// server asks it for one <see cref="IUpdater"/> per trajectory, which holds whatever state the rule keeps (momentum,
/// a buffer), so coupled twins apply the same rule to their own state.
/// </summary>
public abstract record UpdateRule
{
    /// <summary>w ← w − η_t g: delayed SGD as the paper analyses it.</summary>
    public static readonly UpdateRule Plain = new PlainUpdate();

    /// <summary>Stable text for tables, e.g. <c>plain</c>.</summary>
    public abstract string Label { get; }

    /// <summary>A fresh updater for one trajectory of <paramref name="dimension"/> parameters.</summary>
    public abstract IUpdater Start(int dimension);

    /// <summary>
    /// How much of η_t a gradient of staleness τ moves w by, for stability bounds that sum the step sizes (Hardt et al.'s
    /// Σ_t η_t): 1 for plain SGD, the weight for weighted steps, 0 for a dropped gradient.
    /// </summary>
    public virtual double StepFactor(long staleness) => 1;
}

/// <summary>One update of one trajectory.</summary>
/// <param name="Step">The server step t this update makes (the version it produces is t + 1, except in the parameter server counting empty steps, where only steps with gradients make versions).</param>
/// <param name="Eta">η_t from the cell's schedule.</param>
/// <param name="Staleness">τ_t = t − v_t, the versions between the snapshot the gradient was taken at and w_t (the largest one when several gradients are summed into one update).</param>
public readonly record struct UpdateContext(long Step, double Eta, long Staleness);

/// <summary>Applies updates to one trajectory's parameters in place.</summary>
public interface IUpdater
{
    /// <summary>
    /// Turns <paramref name="w"/> = w_t into w_{t+1} given the gradient that arrived for step t. Returns false when it
    /// left w unchanged on purpose (a rule that holds gradients in a buffer, or drops them): the time server then makes
    /// no new version. The staleness domain plans its versions, so there every call makes one.
    /// </summary>
    bool Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context);

    /// <summary>
    /// <see cref="Apply"/> on a copy: <paramref name="next"/> ← <paramref name="current"/>, then updated. Two
    /// distinct buffers (the staleness domain's history ring writes its next slot from the current one). The default
    /// copies; a rule may write next in one pass if the bits are those of the copy and the update.
    /// </summary>
    bool ApplyTo(ReadOnlySpan<double> current, Span<double> next, ReadOnlySpan<double> gradient, in UpdateContext context)
    {
        current.CopyTo(next);
        return Apply(next, gradient, context);
    }

    /// <summary>
    /// Whether the server uses a gradient of this staleness at all (default: every one). The time server drops the
    /// others (no update, no version; the worker pulls afresh); in the staleness domain, whose steps are planned, a
    /// dropped step's version equals the one before, so the rule's <see cref="Apply"/> must leave w unchanged then.
    /// </summary>
    bool Accepts(in UpdateContext context) => true;

    /// <summary>
    /// Rewrites one arriving gradient in place, given w_t (<paramref name="current"/>) and the parameters it was computed
    /// at (<paramref name="stale"/>), before the server sums it with others or applies it (default: unchanged).
    /// </summary>
    void Adjust(Span<double> gradient, ReadOnlySpan<double> current, ReadOnlySpan<double> stale) { }
}

/// <summary>w_{t+1} = w_t − η_t g(w_{t−τ_t}).</summary>
internal sealed record PlainUpdate : UpdateRule
{
    public override string Label => "plain";

    public override IUpdater Start(int dimension) => Updater.Instance;

    sealed class Updater : IUpdater
    {
        public static readonly Updater Instance = new();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        bool IUpdater.Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
        {
            Kernels.AddScaled(w, -context.Eta, gradient);
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        bool IUpdater.ApplyTo(ReadOnlySpan<double> current, Span<double> next, ReadOnlySpan<double> gradient, in UpdateContext context)
        {
            Kernels.AddScaledTo(next, -context.Eta, gradient, current);
            return true;
        }
    }
}

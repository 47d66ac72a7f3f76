using DelaySim.Model.Problems;

namespace DelaySim.Model.Updates;

/// <summary>
/// Delay-adaptive step (Mishchenko et al. 2022): η_t = η · S / max(S, τ_t). Gradients no staler than S take the full
/// step; staler ones a step shrunk in proportion to their delay. <paramref name="Scale"/> S is usually the number of
/// workers, the staleness an always-busy asynchronous system has anyway.
/// </summary>
public sealed record DelayAdaptiveUpdate(double Scale) : UpdateRule
{
    public override string Label => $"delay-adaptive(S={Scale})";

    public override IUpdater Start(int dimension) => new ScaledStep(StepFactor);

    public override double StepFactor(long staleness) => Scale / Math.Max(Scale, staleness);
}

/// <summary>How <see cref="StalenessWeightedUpdate"/> weighs a gradient of staleness τ.</summary>
public enum StalenessWeight
{
    /// <summary>s(τ) = 1 / max(1, τ) (Zhang et al. 2016).</summary>
    Inverse,
    /// <summary>s(τ) = (1 + τ)^(−a) (FedAsync's polynomial weight, Xie et al. 2019).</summary>
    Polynomial,
    /// <summary>s(τ) = 1 for τ ≤ b, else 1 / (a(τ − b) + 1) (FedAsync's hinge weight).</summary>
    Hinge,
}

/// <summary>Staleness-weighted step: η_t = η · s(τ_t) with the weight function <paramref name="Weight"/>.</summary>
public sealed record StalenessWeightedUpdate(StalenessWeight Weight, double A, double B) : UpdateRule
{
    public override string Label => Weight switch
    {
        StalenessWeight.Inverse => "staleness-weighted(inverse)",
        StalenessWeight.Polynomial => $"staleness-weighted(polynomial, a={A})",
        _ => $"staleness-weighted(hinge, a={A}, b={B})",
    };

    /// <summary>s(τ), the weight of a gradient of staleness τ.</summary>
    public override double StepFactor(long staleness) => Weight switch
    {
        StalenessWeight.Inverse => 1.0 / Math.Max(1, staleness),
        StalenessWeight.Polynomial => Math.Pow(1 + staleness, -A),
        _ => staleness <= B ? 1 : 1 / (A * (staleness - B) + 1),
    };

    public override IUpdater Start(int dimension) => new ScaledStep(StepFactor);
}

/// <summary>w ← w − η_t · f(τ_t) · g: plain SGD with a staleness-dependent factor on the step.</summary>
internal sealed class ScaledStep(Func<long, double> factor) : IUpdater
{
    /// <summary>Staleness beyond which factors are computed each time instead of kept (a table of 32 KiB).</summary>
    const int Kept = 4096;

    /// <summary>f(τ) for each τ seen so far (NaN: not yet): the same doubles as calling f, without a Math.Pow per update.</summary>
    double[] _factors = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    bool IUpdater.Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
    {
        Kernels.AddScaled(w, -(context.Eta * Factor(context.Staleness)), gradient);
        return true;
    }

    double Factor(long tau)
    {
        if (tau < _factors.Length && !double.IsNaN(_factors[tau])) return _factors[tau];
        if (tau < 0 || tau >= Kept) return factor(tau);
        if (tau >= _factors.Length)
        {
            var grown = new double[Math.Min(Kept, Math.Max(2 * _factors.Length, (int)tau + 1))];
            Array.Fill(grown, double.NaN);
            _factors.CopyTo(grown, 0);
            _factors = grown;
        }
        return _factors[tau] = factor(tau);
    }
}

/// <summary>
/// Server-side heavy-ball momentum on the applied gradients: v ← β v + g, w ← w − η_t v (v₀ = 0). Asynchrony itself
/// acts like momentum (Mitliagkas et al. 2016), so this adds explicit momentum on top of the implicit one.
/// </summary>
public sealed record MomentumUpdate(double Beta) : UpdateRule
{
    public override string Label => $"momentum(beta={Beta})";

    /// <summary>A gradient's total effect once its momentum has decayed: Σ_k β^k = 1/(1 − β).</summary>
    public override double StepFactor(long staleness) => 1 / (1 - Beta);

    public override IUpdater Start(int dimension) => new Updater(Beta, new double[dimension]);

    sealed class Updater(double beta, double[] velocity) : IUpdater
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        bool IUpdater.Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
        {
            // v ← βv + g, element by element (no reduction, so any vector width gives the same bits).
            Kernels.ScaleAndAdd(velocity, beta, gradient);
            Kernels.AddScaled(w, -context.Eta, velocity);
            return true;
        }
    }
}

/// <summary>
/// Bounded staleness (after Ho et al. 2013's stale synchronous parallel). With <paramref name="Wait"/> false (policy
/// drop): gradients staler than <paramref name="Max"/> versions are dropped, the others applied as plain SGD; how many
/// were dropped is the tail of the staleness histogram beyond <paramref name="Max"/> (summary.csv: dropped). With
/// <paramref name="Wait"/> (policy wait, time domain only): every gradient is applied, and a worker that has sent
/// more than <paramref name="Max"/> gradients beyond the slowest worker blocks — the server holds its next snapshot
/// until the slowest catches up, SSP's clock bound (see <see cref="TimeDomain.TimeServer"/>).
/// </summary>
public sealed record BoundedStalenessUpdate(int Max, bool Wait = false) : UpdateRule
{
    public override string Label => Wait ? $"bounded-staleness(max={Max}, wait)" : $"bounded-staleness(max={Max})";

    public override double StepFactor(long staleness) => Wait || staleness <= Max ? 1 : 0;

    public override IUpdater Start(int dimension) => new Updater(Wait ? int.MaxValue : Max);

    sealed class Updater(int max) : IUpdater
    {
        bool IUpdater.Accepts(in UpdateContext context) => context.Staleness <= max;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        bool IUpdater.Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
        {
            if (context.Staleness > max) return false;
            Kernels.AddScaled(w, -context.Eta, gradient);
            return true;
        }
    }
}

/// <summary>
/// Delay compensation (DC-ASGD, Zheng et al. 2017): g̃ = g + λ · g ⊙ g ⊙ (w_t − w_{t−τ}), a first-order Taylor correction
/// of the stale gradient with the diagonal outer-product approximation of the Hessian, then a plain step. Costs one more
/// pass over d per gradient.
/// </summary>
public sealed record DelayCompensatedUpdate(double Lambda) : UpdateRule
{
    public override string Label => $"delay-compensated(lambda={Lambda})";

    public override IUpdater Start(int dimension) => new Updater(Lambda);

    sealed class Updater(double lambda) : IUpdater
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void IUpdater.Adjust(Span<double> gradient, ReadOnlySpan<double> current, ReadOnlySpan<double> stale)
        {
            for (var j = 0; j < gradient.Length; j++) gradient[j] += lambda * gradient[j] * gradient[j] * (current[j] - stale[j]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        bool IUpdater.Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
        {
            Kernels.AddScaled(w, -context.Eta, gradient);
            return true;
        }
    }
}

/// <summary>
/// Buffered asynchronous aggregation (FedBuff, Nguyen et al. 2022): the server holds arriving gradients, each weighted
/// by s(τ) when <paramref name="Weight"/> is set, and every <paramref name="Size"/>-th one applies their mean (or sum):
/// w ← w − η_t · (1/K) Σ s(τ_i) g_i. Until then w is unchanged and the time server makes no version. K counts the
/// server's updates: one per gradient, or one per tick under sum-per-tick.
/// </summary>
public sealed record BufferedUpdate(int Size, bool Mean, StalenessWeightedUpdate? Weight = null) : UpdateRule
{
    public override string Label => $"buffered(K={Size}, {(Mean ? "mean" : "sum")}{(Weight is null ? "" : ", " + Weight.Label)})";

    public override IUpdater Start(int dimension) => new Updater(this, new double[dimension]);

    /// <summary>Each gradient moves w by its weight, divided by K under the mean.</summary>
    public override double StepFactor(long staleness) => (Weight?.StepFactor(staleness) ?? 1) / (Mean ? Size : 1);

    sealed class Updater(BufferedUpdate rule, double[] buffer) : IUpdater
    {
        int _held;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        bool IUpdater.Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
        {
            Kernels.AddScaled(buffer, rule.Weight?.StepFactor(context.Staleness) ?? 1, gradient);
            if (++_held < rule.Size) return false;
            Kernels.AddScaled(w, -(rule.Mean ? context.Eta / rule.Size : context.Eta), buffer);
            Array.Clear(buffer);
            _held = 0;
            return true;
        }
    }
}

using DelaySim.Model.Randomness;

namespace DelaySim.Model.Delays;

/// <summary>
/// A value sequence shared by several streams, aligned by message index: every stream's k-th call sees the same k-th
/// value whatever order the streams ask in. Values are generated in index order from one random stream and dropped
/// once every reader has passed them.
/// </summary>
sealed class SharedSequence(Func<double> generate, int readers)
{
    readonly List<double> _values = [];
    readonly long[] _positions = new long[readers];
    long _offset;

    /// <summary>
    /// The reader's next value. Values are generated in index order, whichever reader asks first, so the index alone
    /// decides the value; that is why a shared component cannot depend on time (the reader refuses pauses, drift and
    /// by-time traces inside <c>shared</c>).
    /// </summary>
    public double Next(int reader)
    {
        // Workers may run on different threads; the lock only guards the cache.
        lock (_values) return NextLocked(reader);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    double NextLocked(int reader)
    {
        var index = _positions[reader]++;
        while (_offset + _values.Count <= index) _values.Add(generate());
        var value = _values[(int)(index - _offset)];
        var done = _positions.Min() - _offset;
        if (done > 4096)
        {
            _values.RemoveRange(0, (int)done);
            _offset += done;
        }
        return value;
    }
}

/// <summary>
/// A shared component per group of workers (a rack, a switch): worker m's k-th delay = own_m,k + shared_g,k, where
/// g = m / GroupSize and shared_g is one stream per group drawn from <see cref="Shared"/>. Two workers of one group
/// correlate by Var(shared) / (Var(own) + Var(shared)); workers of different groups not at all.
/// </summary>
public sealed record SharedComponentModel(DelayModel Own, DelayModel Shared, int GroupSize) : DelayModel
{
    public override string Label => $"{Own.Label} + shared per {GroupSize} workers: {Shared.Label}";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        if (GroupSize < 1) throw new ArgumentException("group size must be ≥ 1");
        var own = Own.Open(seed, name, workers);
        var groups = (workers + GroupSize - 1) / GroupSize;
        var shared = Shared.Open(seed, $"{name}/shared", groups);
        var sequences = Enumerable.Range(0, groups)
            .Select(g => new SharedSequence(() => shared[g].Next(0), Math.Min(GroupSize, workers - g * GroupSize)))
            .ToArray();
        return Enumerable.Range(0, workers).Select(m => (IDelayStream)new Stream(own[m], sequences[m / GroupSize], m % GroupSize)).ToArray();
    }

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers)
    {
        var own = Own.Declared(seed, worker, workers);
        var shared = Shared.Declared(seed, worker / GroupSize, (workers + GroupSize - 1) / GroupSize);
        var variance = own.Sd * own.Sd + shared.Sd * shared.Sd;
        var acf = own.Acf.Zip(shared.Acf, (a, b) => (a * own.Sd * own.Sd + b * shared.Sd * shared.Sd) / variance).ToArray();
        var sameGroup = Math.Min(GroupSize, workers - worker / GroupSize * GroupSize) - 1;
        var xcorr = workers > 1 ? sameGroup * (shared.Sd * shared.Sd / variance) / (workers - 1) : double.NaN;
        return new DeclaredStatistics(own.Mean + shared.Mean, Math.Sqrt(variance), double.NaN, double.NaN, double.NaN, acf, xcorr, null);
    }

    sealed class Stream(IDelayStream own, SharedSequence shared, int reader) : IDelayStream
    {
        public double Next(double now) => own.Next(now) + shared.Next(reader);
    }
}

/// <summary>
/// A one-factor Gaussian copula across workers, optionally AR(1) in time: latent z_m,k = √ρ·f_k + √(1−ρ)·e_m,k with the
/// common factor f and each worker's e independent unit-variance AR(1) processes (coefficient φ), mapped through
/// F⁻¹(Φ(·)). Every worker keeps the marginal exactly; latent lag-0 correlation between workers is ρ, latent lag-k
/// autocorrelation φ^k; <see cref="Declared"/> carries both through F⁻¹∘Φ.
/// </summary>
public sealed record FactorModel : DelayModel
{
    public FactorModel(Marginal marginal, double correlation, double phi = 0)
    {
        if (correlation is < 0 or >= 1) throw new ArgumentException($"factor correlation must be in [0, 1) (got {correlation})");
        if (Math.Abs(phi) >= 1) throw new ArgumentException($"AR coefficient must satisfy |φ| < 1 (got {phi})");
        (Marginal, Correlation, Phi) = (marginal, correlation, phi);
        Transform = new NormalTransform(marginal);
        _declared = new(() => DeclaredStatistics.Of(Marginal,
            Enumerable.Range(1, DeclaredStatistics.Lags).Select(k => CopulaCorrelation.Output(Marginal, Math.Pow(Phi, k))).ToArray(),
            CopulaCorrelation.Output(Marginal, Correlation)));
    }

    public NormalTransform Transform { get; }

    public Marginal Marginal { get; }
    public double Correlation { get; }
    public double Phi { get; }
    public override string Label => $"{Marginal.Label}, factor ρ {Correlation:G4}, AR φ {Phi:G4}";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        var sd = Math.Sqrt(1 - Phi * Phi);
        var factor = new CopulaModel.Latent([Phi], sd, Streams.For(seed, $"{name}/factor"));
        var common = new SharedSequence(factor.Next, workers);
        return Enumerable.Range(0, workers).Select(m =>
        {
            var own = new CopulaModel.Latent([Phi], sd, Streams.For(seed, $"{name}/{m}"));
            return (IDelayStream)new Stream(this, common, m, own);
        }).ToArray();
    }

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers) =>
        _declared.Value with { CrossCorrelation = workers > 1 ? _declared.Value.CrossCorrelation : double.NaN };

    /// <summary>Computed once: the quadratures cost thousands of quantiles each.</summary>
    readonly Lazy<DeclaredStatistics> _declared;

    sealed class Stream(FactorModel model, SharedSequence common, int reader, CopulaModel.Latent own) : IDelayStream
    {
        readonly double _a = Math.Sqrt(model.Correlation);
        readonly double _b = Math.Sqrt(1 - model.Correlation);

        public double Next(double now) =>
            model.Transform.Map(_a * common.Next(reader) + _b * own.Next());
    }
}

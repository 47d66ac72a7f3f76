using DelaySim.Model.Randomness;

namespace DelaySim.Model.Delays;

/// <summary>
/// Stragglers: ⌈fraction·M⌉ workers, chosen by the "stragglers" stream, have every delay multiplied by <paramref name="Factor"/>.
/// </summary>
public sealed record StragglerModel(DelayModel Inner, double Fraction, double Factor) : DelayModel
{
    public override string Label => $"{Inner.Label}; {Fraction:P0} stragglers ×{Factor:G4}";

    /// <summary>The straggling workers, fixed by the seed (not by the stream name, so uplink and compute agree).</summary>
    public static bool[] Chosen(ulong seed, double fraction, int workers)
    {
        var count = (int)Math.Ceiling(fraction * workers - 1e-9);
        var order = Enumerable.Range(0, workers).ToArray();
        Shuffle.InPlace(order, Streams.For(seed, "stragglers"));
        var slow = new bool[workers];
        foreach (var m in order.Take(count)) slow[m] = true;
        return slow;
    }

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        if (Fraction is < 0 or > 1 || Factor <= 0) throw new ArgumentException("stragglers need 0 ≤ fraction ≤ 1 and factor > 0");
        var slow = Chosen(seed, Fraction, workers);
        return Inner.Open(seed, name, workers).Select((s, m) => slow[m] ? new Scaled(s, Factor) : s).ToArray();
    }

    /// <summary>The inner statistics, scaled by the factor for the workers the seed makes stragglers.</summary>
    public override DeclaredStatistics Declared(ulong seed, int worker, int workers)
    {
        var inner = Inner.Declared(seed, worker, workers);
        if (!Chosen(seed, Fraction, workers)[worker]) return inner;
        var f = Factor;
        return inner with
        {
            Mean = f * inner.Mean, Sd = f * inner.Sd, P50 = f * inner.P50, P95 = f * inner.P95, P99 = f * inner.P99,
            Cdf = inner.Cdf is { } cdf ? x => cdf(x / f) : null,
        };
    }

    sealed class Scaled(IDelayStream inner, double factor) : IDelayStream
    {
        public double Next(double now) => factor * inner.Next(now);
    }
}

/// <summary>
/// Periodic pauses (GC, checkpoints): during [k·Period, k·Period + Duration) nothing moves; a message sent inside a pause
/// waits for its end, then takes its normal delay. For send times spread uniformly over the period the mean grows by
/// Duration² / (2·Period).
/// </summary>
public sealed record PauseModel(DelayModel Inner, double Period, double Duration) : DelayModel
{
    public override string Label => $"{Inner.Label}; pauses {Duration:G4} every {Period:G4}";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        if (Period <= 0 || Duration < 0 || Duration >= Period) throw new ArgumentException("pauses need period > 0 and 0 ≤ duration < period");
        return Inner.Open(seed, name, workers).Select(s => (IDelayStream)new Stream(s, Period, Duration)).ToArray();
    }

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers)
    {
        var inner = Inner.Declared(seed, worker, workers);
        // Wait W = (D − phase)⁺ with phase uniform on [0, P): E[W] = D²/(2P), E[W²] = D³/(3P).
        var mean = Duration * Duration / (2 * Period);
        var variance = Duration * Duration * Duration / (3 * Period) - mean * mean;
        // Workers sending at the same moment share the pause, so their cross-correlation is not the inner one.
        return inner with
        {
            Mean = inner.Mean + mean,
            Sd = Math.Sqrt(inner.Sd * inner.Sd + variance),
            P50 = double.NaN, P95 = double.NaN, P99 = double.NaN, Acf = DeclaredStatistics.Unknown, CrossCorrelation = double.NaN, Cdf = null,
        };
    }

    sealed class Stream(IDelayStream inner, double period, double duration) : IDelayStream
    {
        public double Next(double now)
        {
            var phase = now - Math.Floor(now / period) * period;
            return (phase < duration ? duration - phase : 0) + inner.Next(now);
        }
    }
}

/// <summary>
/// Slow drift (thermal throttling, diurnal load): every delay is multiplied by 1 + Amplitude·sin(2π·now / Period).
/// For send times spread uniformly the mean is unchanged and E[X²] grows by the factor 1 + Amplitude²/2.
/// </summary>
public sealed record DriftModel(DelayModel Inner, double Amplitude, double Period) : DelayModel
{
    public override string Label => $"{Inner.Label}; drift ±{Amplitude:P0} over {Period:G4}";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        if (Amplitude is < 0 or >= 1 || Period <= 0) throw new ArgumentException("drift needs 0 ≤ amplitude < 1 and period > 0");
        return Inner.Open(seed, name, workers).Select(s => (IDelayStream)new Stream(s, Amplitude, Period)).ToArray();
    }

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers)
    {
        var inner = Inner.Declared(seed, worker, workers);
        var second = (1 + Amplitude * Amplitude / 2) * (inner.Sd * inner.Sd + inner.Mean * inner.Mean);
        return inner with
        {
            Sd = Math.Sqrt(second - inner.Mean * inner.Mean),
            P50 = double.NaN, P95 = double.NaN, P99 = double.NaN, Acf = DeclaredStatistics.Unknown, CrossCorrelation = double.NaN, Cdf = null,
        };
    }

    sealed class Stream(IDelayStream inner, double amplitude, double period) : IDelayStream
    {
        public double Next(double now) => (1 + amplitude * Math.Sin(2 * Math.PI * now / period)) * inner.Next(now);
    }
}

/// <summary>
/// Message loss with retransmission: each attempt is lost with probability p; a lost attempt is resent after
/// <paramref name="Timeout"/>. Delay = K·Timeout + d with K ~ Geometric failures (mean p/(1−p)) and d the inner delay of
/// the attempt that arrives. Mean μ + Timeout·p/(1−p); variance σ² + Timeout²·p/(1−p)².
/// </summary>
public sealed record LossModel(DelayModel Inner, double Probability, double Timeout) : DelayModel
{
    public override string Label => $"{Inner.Label}; loss {Probability:P1}, resend after {Timeout:G4}";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        if (Probability is < 0 or >= 1 || Timeout < 0) throw new ArgumentException("loss needs 0 ≤ probability < 1 and timeout ≥ 0");
        return Inner.Open(seed, name, workers)
            .Select((s, m) => (IDelayStream)new Stream(s, Probability, Timeout, Streams.For(seed, $"{name}/{m}/loss"))).ToArray();
    }

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers)
    {
        var inner = Inner.Declared(seed, worker, workers);
        var q = Probability / (1 - Probability);
        var sd = Math.Sqrt(inner.Sd * inner.Sd + Timeout * Timeout * q / (1 - Probability));
        // Losses are independent across workers: the covariance stays, the variance grows.
        return inner with
        {
            Mean = inner.Mean + Timeout * q,
            Sd = sd,
            P50 = double.NaN, P95 = double.NaN, P99 = double.NaN, Acf = DeclaredStatistics.Unknown,
            CrossCorrelation = inner.CrossCorrelation * inner.Sd * inner.Sd / (sd * sd), Cdf = null,
        };
    }

    sealed class Stream(IDelayStream inner, double p, double timeout, Rng rng) : IDelayStream
    {
        public double Next(double now)
        {
            var waited = 0.0;
            while (rng.NextUnit() < p) waited += timeout;
            return waited + inner.Next(now + waited);
        }
    }
}

using MathNet.Numerics.LinearAlgebra;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Delays;

/// <summary>A named state of a regime chain and its delay distribution.</summary>
public sealed record Regime(string Name, Marginal Marginal);

/// <summary>
/// Regimes: a Markov chain over named states (normal, congested, failed, …), each with its own marginal. Message k of a
/// stream takes its delay from the state the chain is in, then the chain steps once. The chain starts in its stationary
/// distribution π, so the declared statistics hold from the first message: the marginal is the mixture Σ π_s F_s,
/// and acf_k = (Σ_{s,s'} π_s (P^k)_{ss'} μ_s μ_s' − μ²) / σ².
/// </summary>
public sealed record RegimeModel : DelayModel
{
    public RegimeModel(IReadOnlyList<Regime> states, double[,] transitions)
    {
        var n = states.Count;
        if (n < 2) throw new ArgumentException("regimes need at least two states");
        if (transitions.GetLength(0) != n || transitions.GetLength(1) != n)
            throw new ArgumentException($"the transition matrix must be {n} × {n}");
        for (var i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, n).Select(j => transitions[i, j]).ToArray();
            if (row.Any(p => p < 0 || p > 1) || Math.Abs(row.Sum() - 1) > 1e-9)
                throw new ArgumentException($"transitions from '{states[i].Name}' must be probabilities summing to 1 (they sum to {row.Sum()})");
        }
        States = states.ToArray();
        Transitions = Matrix<double>.Build.DenseOfArray(transitions);
        Rows = Enumerable.Range(0, n).Select(i => Transitions.Row(i).ToArray()).ToArray();
        Stationary = StationaryDistribution(Transitions);
        Mixture = new MixtureDelay(States.Select((s, i) => (Stationary[i], s.Marginal)).ToArray());
    }

    /// <summary>Gilbert–Elliott bursts: good ⇄ bad with P(good→bad) = p and P(bad→good) = r.</summary>
    public static RegimeModel GilbertElliott(Marginal good, Marginal bad, double p, double r) =>
        new([new Regime("good", good), new Regime("bad", bad)], new[,] { { 1 - p, p }, { r, 1 - r } });

    public Regime[] States { get; }
    public Matrix<double> Transitions { get; }
    public double[] Stationary { get; }
    public MixtureDelay Mixture { get; }
    double[][] Rows { get; }

    public override string Label => $"regimes({string.Join(", ", States.Select((s, i) => $"{s.Name} π={Stationary[i]:0.###}: {s.Marginal.Label}"))})";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers) =>
        Enumerable.Range(0, workers).Select(m => (IDelayStream)new Stream(this, Streams.For(seed, $"{name}/{m}"))).ToArray();

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers)
    {
        var mu = Vector<double>.Build.DenseOfEnumerable(States.Select(s => s.Marginal.Mean));
        var pi = Vector<double>.Build.DenseOfArray(Stationary);
        var mean = Mixture.Mean;
        var variance = Mixture.Variance;
        var acf = new double[DeclaredStatistics.Lags];
        var power = Matrix<double>.Build.DenseIdentity(States.Length);
        for (var k = 1; k <= acf.Length; k++)
        {
            power *= Transitions;
            acf[k - 1] = (pi.PointwiseMultiply(mu) * (power * mu) - mean * mean) / variance;
        }
        return DeclaredStatistics.Of(Mixture, acf);
    }

    static double[] StationaryDistribution(Matrix<double> p)
    {
        // Solve πᵀ(P − I) = 0 with Σπ = 1: replace one equation by the normalisation.
        var n = p.RowCount;
        var a = (p - Matrix<double>.Build.DenseIdentity(n)).Transpose();
        for (var j = 0; j < n; j++) a[n - 1, j] = 1;
        var b = Vector<double>.Build.Dense(n);
        b[n - 1] = 1;
        var pi = a.Solve(b).ToArray();
        if (pi.Any(x => !double.IsFinite(x) || x < -1e-12))
            throw new ArgumentException("the regime chain has no unique stationary distribution (is it irreducible?)");
        return pi.Select(x => Math.Max(0, x)).ToArray();
    }

    sealed class Stream : IDelayStream
    {
        readonly RegimeModel _model;
        readonly Rng _rng;
        int _state;

        public Stream(RegimeModel model, Rng rng)
        {
            (_model, _rng) = (model, rng);
            _state = Pick(model.Stationary);
        }

        public double Next(double now)
        {
            var delay = _model.States[_state].Marginal.Sample(_rng);
            _state = Pick(_model.Rows[_state]);
            return delay;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        int Pick(double[] probabilities)
        {
            var u = _rng.NextUnit();
            for (var i = 0; i < probabilities.Length - 1; i++)
            {
                u -= probabilities[i];
                if (u < 0) return i;
            }
            return probabilities.Length - 1;
        }
    }
}

/// <summary>A finite mixture Σ w_i F_i; quantiles by bisection on the mixture CDF.</summary>
public sealed record MixtureDelay((double Weight, Marginal Marginal)[] Components) : Marginal
{
    public override string Label => $"mixture({Components.Length})";
    public override double Mean => Components.Sum(c => c.Weight * c.Marginal.Mean);
    public override double Variance => Components.Sum(c => c.Weight * (c.Marginal.Variance + c.Marginal.Mean * c.Marginal.Mean)) - Mean * Mean;
    public override bool IsDiscrete => Components.All(c => c.Marginal.IsDiscrete);
    public override double Cdf(double x) => Components.Sum(c => c.Weight * c.Marginal.Cdf(x));

    public override double InverseCdf(double u)
    {
        var lo = Components.Min(c => c.Marginal.InverseCdf(Math.Min(u, 1e-12)));
        var hi = Components.Max(c => c.Marginal.InverseCdf(Math.Max(u, 1 - 1e-12)));
        for (var i = 0; i < 200 && hi - lo > 1e-12 * Math.Max(1, Math.Abs(hi)); i++)
        {
            var mid = (lo + hi) / 2;
            if (Cdf(mid) >= u) hi = mid; else lo = mid;
        }
        return hi;
    }
}

using MathNet.Numerics.LinearAlgebra;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Delays;

/// <summary>
/// Temporal correlation that keeps the marginal: a latent stationary Gaussian AR(p) z_t = Σ φ_j z_{t−j} + σ_ε ε_t with
/// unit variance, mapped through F⁻¹(Φ(z_t)) (a Gaussian copula). Every draw has exactly the marginal asked for; the
/// output's lag-k autocorrelation is the latent one (from Yule–Walker) carried through F⁻¹∘Φ, which
/// <see cref="Declared"/> computes by 2-D Gauss–Legendre quadrature. For a normal marginal they coincide; for skewed or
/// heavy-tailed ones the output correlation is somewhat below the latent one. (NetEm instead blends each new uniform with
/// the previous one, which narrows the distribution it claims to produce.)
/// </summary>
public sealed record CopulaModel : DelayModel
{
    public CopulaModel(Marginal marginal, IReadOnlyList<double> ar)
    {
        if (ar.Count == 0) throw new ArgumentException("correlation needs at least one AR coefficient");
        if (ar.Any(a => !double.IsFinite(a))) throw new ArgumentException("AR coefficients must be finite");
        if (ar.Count > MaxOrder) throw new ArgumentException($"an AR({ar.Count}) process: at most {MaxOrder} coefficients (a fitted delay model needs 5 or fewer)");
        Marginal = marginal;
        Ar = ar.ToArray();
        var acf = YuleWalker(Ar, Math.Max(DeclaredStatistics.Lags, Ar.Length));
        LatentAcf = acf[..(DeclaredStatistics.Lags + 1)];
        var innovation = 1 - Ar.Select((phi, j) => phi * acf[j + 1]).Sum();
        if (!(innovation > 1e-12) || SpectralRadius(Ar) >= 1)
            throw new ArgumentException($"AR coefficients [{string.Join(", ", Ar)}] are not stationary (need every root of the AR polynomial outside the unit circle; for AR(1), |φ| < 1)");
        InnovationSd = Math.Sqrt(innovation);
        Transform = new NormalTransform(marginal);
        _declared = new(() => DeclaredStatistics.Of(Marginal, LatentAcf.Skip(1).Select(r => CopulaCorrelation.Output(Marginal, r)).ToArray()));
    }

    /// <summary>The longest AR polynomial accepted.</summary>
    public const int MaxOrder = 64;

    /// <summary>z ↦ F⁻¹(Φ(z)), tabulated for slow inverse CDFs.</summary>
    public NormalTransform Transform { get; }

    public Marginal Marginal { get; }
    public double[] Ar { get; }

    /// <summary>ρ_0..ρ_L of the latent Gaussian process.</summary>
    public double[] LatentAcf { get; }

    public double InnovationSd { get; }

    public override string Label => $"{Marginal.Label} with latent AR({string.Join(", ", Ar)})";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers) =>
        Enumerable.Range(0, workers).Select(m => (IDelayStream)new Stream(this, Streams.For(seed, $"{name}/{m}"))).ToArray();

    /// <summary>The same for every worker and seed; computed once (the quadrature costs thousands of quantiles).</summary>
    public override DeclaredStatistics Declared(ulong seed, int worker, int workers) => _declared.Value;

    readonly Lazy<DeclaredStatistics> _declared;

    /// <summary>The latent AR(p) process with unit stationary variance; shared by other models that need one.</summary>
    public sealed class Latent
    {
        readonly double[] _phi;
        readonly double[] _history;
        readonly double _sd;
        readonly Rng _rng;

        public Latent(double[] phi, double innovationSd, Rng rng)
        {
            (_phi, _sd, _rng) = (phi, innovationSd, rng);
            _history = new double[phi.Length];
            if (phi.Length == 1)
                _history[0] = rng.NextGaussian(); // exact stationary start for AR(1)
            else
                for (var i = 0; i < BurnIn(phi); i++) Next();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double Next()
        {
            var z = _sd * _rng.NextGaussian();
            for (var j = 0; j < _phi.Length; j++) z += _phi[j] * _history[j];
            for (var j = _history.Length - 1; j > 0; j--) _history[j] = _history[j - 1];
            _history[0] = z;
            return z;
        }

        static int BurnIn(double[] phi) => (int)Math.Min(1_000_000, Math.Max(1_000, 20 / (1 - SpectralRadius(phi))));
    }

    sealed class Stream(CopulaModel model, Rng rng) : IDelayStream
    {
        readonly Latent _latent = new(model.Ar, model.InnovationSd, rng);

        public double Next(double now) => model.Transform.Map(_latent.Next());
    }

    /// <summary>ρ_0..ρ_lags of a unit-variance AR(p): solve the Yule–Walker equations for ρ_1..ρ_p, then recurse.</summary>
    public static double[] YuleWalker(double[] phi, int lags)
    {
        var p = phi.Length;
        var rho = new double[Math.Max(lags, p) + 1];
        rho[0] = 1;
        // ρ_k − Σ_j φ_j ρ_{|k−j|} = 0 for k = 1..p, with ρ_0 = 1 moved to the right-hand side.
        var a = Matrix<double>.Build.Dense(p, p);
        var b = Vector<double>.Build.Dense(p);
        for (var k = 1; k <= p; k++)
        {
            a[k - 1, k - 1] += 1;
            for (var j = 1; j <= p; j++)
            {
                var lag = Math.Abs(k - j);
                if (lag == 0) b[k - 1] += phi[j - 1];
                else a[k - 1, lag - 1] -= phi[j - 1];
            }
        }
        var solution = a.Solve(b);
        for (var k = 1; k <= p; k++) rho[k] = solution[k - 1];
        for (var k = p + 1; k < rho.Length; k++)
            for (var j = 1; j <= p; j++) rho[k] += phi[j - 1] * rho[k - j];
        return rho[..(lags + 1)];
    }

    /// <summary>Largest |eigenvalue| of the AR companion matrix; the process is stationary when it is below 1.</summary>
    public static double SpectralRadius(double[] phi)
    {
        var p = phi.Length;
        var companion = Matrix<double>.Build.Dense(p, p);
        for (var j = 0; j < p; j++) companion[0, j] = phi[j];
        for (var i = 1; i < p; i++) companion[i, i - 1] = 1;
        return companion.Evd().EigenValues.Max(e => e.Magnitude);
    }
}

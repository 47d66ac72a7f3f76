using DelaySim.Model.Delays;
using MathNet.Numerics.Distributions;

namespace DelaySim.Model.Fitting;

/// <summary>A hidden Markov model of a delay stream: one marginal of the chosen family per state, and the transitions.</summary>
public sealed record RegimeModelFit(RegimeModel Model, string Family, double LogLikelihood, int Parameters, int Count)
{
    public double Bic => Parameters * Math.Log(Count) - 2 * LogLikelihood;
}

/// <summary>
/// Regimes (bursty links, stragglers that come and go) as a K-state hidden Markov model over one family, fitted by EM
/// (Baum–Welch with scaled forward–backward passes; each stream is its own sequence, parameters shared). The M step
/// fits each state's marginal by weighted maximum likelihood (<see cref="MarginalFit.FitWeighted"/>) from its posterior
/// weights. States start from the sample's K quantile bands with a sticky chain (0.9 on the diagonal); EM runs until
/// the log-likelihood gains less than 10⁻⁶ of itself, at most 30 rounds. The copula model it competes with is scored
/// by <see cref="CopulaLogLikelihood"/>; <see cref="DelayFitter"/> keeps the regimes only when their BIC is lower.
/// </summary>
public static class RegimeFit
{
    public const int MaxRounds = 30;

    public static RegimeModelFit? Fit(IReadOnlyList<double[]> streams, string family, int states, bool steps)
    {
        var x = streams.SelectMany(s => s).ToArray();
        var n = x.Length;
        if (n < 20 * states) return null;
        // Start: state k owns the k-th quantile band.
        var sorted = x.Order().ToArray();
        var cuts = Enumerable.Range(1, states - 1).Select(k => sorted[k * n / states]).ToArray();
        var marginals = new Marginal[states];
        for (var k = 0; k < states; k++)
        {
            var w = x.Select(v => Band(v, cuts) == k ? 1.0 : 1e-3).ToArray();
            if (MarginalFit.FitWeighted(family, x, w, steps).Marginal is not { } m) return null;
            marginals[k] = m;
        }
        var a = new double[states, states];
        for (var i = 0; i < states; i++)
            for (var j = 0; j < states; j++) a[i, j] = i == j ? 0.9 : 0.1 / (states - 1);
        var pi = Enumerable.Repeat(1.0 / states, states).ToArray();

        var previous = double.NegativeInfinity;
        // The best (log-likelihood, parameters) seen at an E step: the M step is approximate, so a round can lose.
        var best = (Ll: double.NegativeInfinity, Marginals: marginals, A: a);
        for (var round = 0; round < MaxRounds; round++)
        {
            double ll;
            var gammaAll = new double[n][];
            var xi = new double[states, states];
            var piNext = new double[states];
            ll = 0;
            var offset = 0;
            foreach (var s in streams)
            {
                var (gamma, streamLl) = ForwardBackward(s, marginals, a, pi, steps, xi);
                ll += streamLl;
                for (var k = 0; k < states; k++) piNext[k] += gamma[0][k];
                Array.Copy(gamma, 0, gammaAll, offset, s.Length);
                offset += s.Length;
            }
            if (ll > best.Ll) best = (ll, marginals.ToArray(), (double[,])a.Clone());
            if (ll - previous < 1e-6 * Math.Abs(ll)) break;
            previous = ll;
            for (var i = 0; i < states; i++)
            {
                var row = Enumerable.Range(0, states).Sum(j => xi[i, j]);
                for (var j = 0; j < states; j++) a[i, j] = row > 0 ? xi[i, j] / row : 1.0 / states;
            }
            pi = piNext.Select(p => p / streams.Count).ToArray();
            for (var k = 0; k < states; k++)
                if (MarginalFit.FitWeighted(family, x, gammaAll.Select(g => g[k]).ToArray(), steps).Marginal is { } m) marginals[k] = m;
        }
        (marginals, a) = (best.Marginals, best.A);
        RegimeModel model;
        try
        {
            model = new RegimeModel(marginals.Select((m, k) => new Regime($"s{k}", m)).OrderBy(r => r.Marginal.Mean).ToArray(), Reorder(a, marginals));
        }
        catch (ArgumentException)
        {
            return null; // e.g. a transition row that rounds away from a distribution
        }
        var perState = family is "exponential" ? 1 : 2;
        // Free parameters: each state's marginal, the transitions (K − 1 per row) and the start distribution (K − 1).
        return new RegimeModelFit(model, family, best.Ll, states * perState + states * (states - 1) + states - 1, n);
    }

    static int Band(double v, double[] cuts)
    {
        var k = 0;
        while (k < cuts.Length && v > cuts[k]) k++;
        return k;
    }

    /// <summary>The transition matrix with states sorted by mean (s0 the fastest), as the model lists them.</summary>
    static double[,] Reorder(double[,] a, Marginal[] marginals)
    {
        var order = Enumerable.Range(0, marginals.Length).OrderBy(k => marginals[k].Mean).ToArray();
        var b = new double[order.Length, order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            for (var j = 0; j < order.Length; j++) b[i, j] = Math.Round(a[order[i], order[j]], 12);
            var sum = Enumerable.Range(0, order.Length).Sum(j => b[i, j]);
            for (var j = 0; j < order.Length; j++) b[i, j] /= sum;
        }
        return b;
    }

    /// <summary>Scaled forward–backward over one stream: posteriors γ_t, accumulated ξ, and the stream's log-likelihood.</summary>
    static (double[][] Gamma, double LogLikelihood) ForwardBackward(double[] x, Marginal[] marginals, double[,] a, double[] pi, bool steps, double[,] xi)
    {
        var (t, k) = (x.Length, marginals.Length);
        var e = new double[t][];
        for (var i = 0; i < t; i++)
        {
            var logs = marginals.Select(m => MarginalFit.LogLikelihood(m, x[i], steps)).ToArray();
            var top = logs.Max();
            e[i] = logs.Select(l => Math.Exp(l - top)).ToArray();
            e[i] = [.. e[i], top]; // the scale of row i, kept in the last slot
        }
        var alpha = new double[t][];
        var c = new double[t];
        var ll = 0.0;
        for (var i = 0; i < t; i++)
        {
            alpha[i] = new double[k];
            for (var s = 0; s < k; s++)
            {
                var prior = i == 0 ? pi[s] : Enumerable.Range(0, k).Sum(r => alpha[i - 1][r] * a[r, s]);
                alpha[i][s] = prior * e[i][s];
            }
            c[i] = alpha[i].Sum();
            for (var s = 0; s < k; s++) alpha[i][s] /= c[i];
            ll += Math.Log(c[i]) + e[i][k];
        }
        var beta = new double[k];
        Array.Fill(beta, 1.0);
        var gamma = new double[t][];
        for (var i = t - 1; i >= 0; i--)
        {
            gamma[i] = Enumerable.Range(0, k).Select(s => alpha[i][s] * beta[s]).ToArray();
            var g = gamma[i].Sum();
            for (var s = 0; s < k; s++) gamma[i][s] /= g;
            if (i == 0) break;
            for (var r = 0; r < k; r++)
                for (var s = 0; s < k; s++)
                    xi[r, s] += alpha[i - 1][r] * a[r, s] * e[i][s] * beta[s] / c[i];
            beta = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Sum(s => a[r, s] * e[i][s] * beta[s]) / c[i]).ToArray();
        }
        return (gamma, ll);
    }

    /// <summary>
    /// The log-likelihood of the copula model (marginal plus AR(p) on the normal scores): Σ log f(x_t) plus the
    /// Gaussian AR's conditional log-likelihood of z_t minus Σ log φ(z_t) (the copula density), over every stream.
    /// </summary>
    public static double CopulaLogLikelihood(IReadOnlyList<double[]> streams, Marginal marginal, ArModel ar, bool steps)
    {
        var ll = 0.0;
        var p = ar.Order;
        var variance = p == 0 ? 1 : ar.InnovationVariance;
        foreach (var s in streams)
        {
            var z = ArFit.NormalScores(marginal, s, steps);
            for (var t = 0; t < s.Length; t++)
            {
                var marginalTerm = MarginalFit.LogLikelihood(marginal, s[t], steps);
                ll += marginalTerm;
                if (p == 0 || t < p) continue;
                var predicted = 0.0;
                for (var j = 0; j < p; j++) predicted += ar.Coefficients[j] * z[t - 1 - j];
                var copula = Normal.PDFLn(predicted, Math.Sqrt(variance), z[t]) - Normal.PDFLn(0, 1, z[t]);
                // For steps a conditional probability is at most 1: the density ratio at the step's middle must not
                // score more than −log P(k), or the copula would beat the (exact, discrete) regimes unfairly.
                ll += steps ? Math.Min(copula, -marginalTerm) : copula;
            }
        }
        return ll;
    }
}

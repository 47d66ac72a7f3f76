using System.Globalization;
using System.Text;
using DelaySim.Model.Delays;

namespace DelaySim.Host.Scenarios;

/// <summary>
/// Writes a delay model as the HOCON block <see cref="DelayModelReader"/> reads back to the same model (numbers in
/// round-trip form): the marginals, the AR(p) copula and per-worker overrides, which is what <c>delaysim fit</c> makes.
/// </summary>
internal static class ModelHocon
{
    public static string Block(string name, DelayModel model, string indent = "")
    {
        var text = new StringBuilder();
        text.Append(indent).Append(name).Append(" {\n");
        Body(text, model, indent + "  ");
        text.Append(indent).Append("}\n");
        return text.ToString();
    }

    static void Body(StringBuilder text, DelayModel model, string indent)
    {
        switch (model)
        {
            case PerWorkerModel perWorker:
                Body(text, perWorker.Default, indent);
                text.Append(indent).Append("workers {\n");
                foreach (var (worker, own) in perWorker.Overrides.OrderBy(o => o.Key))
                    text.Append(Block(worker.ToString(CultureInfo.InvariantCulture), own, indent + "  "));
                text.Append(indent).Append("}\n");
                break;
            case CopulaModel copula:
                text.Append(indent).Append(Marginal(copula.Marginal)).Append('\n');
                text.Append(indent).Append("correlation.ar = [").Append(string.Join(", ", copula.Ar.Select(N))).Append("]\n");
                break;
            case RegimeModel regimes:
                text.Append(indent).Append("regimes {\n");
                text.Append(indent).Append("  states {\n");
                foreach (var state in regimes.States) text.Append(indent).Append($"    {state.Name} {{ {Marginal(state.Marginal)} }}\n");
                text.Append(indent).Append("  }\n");
                text.Append(indent).Append("  transitions {\n");
                for (var i = 0; i < regimes.States.Length; i++)
                    text.Append(indent).Append($"    {regimes.States[i].Name} = [{string.Join(", ", Enumerable.Range(0, regimes.States.Length).Select(j => N(regimes.Transitions[i, j])))}]\n");
                text.Append(indent).Append("  }\n");
                text.Append(indent).Append("}\n");
                break;
            case FactorModel factor:
                text.Append(indent).Append(Marginal(factor.Marginal)).Append('\n');
                text.Append(indent).Append($"factor {{ correlation = {N(factor.Correlation)}, ar = {N(factor.Phi)} }}\n");
                break;
            case IidModel iid:
                text.Append(indent).Append(Marginal(iid.Marginal)).Append('\n');
                break;
            default:
                throw new ArgumentException($"cannot write {model.Label} as HOCON", nameof(model));
        }
    }

    public static string Marginal(Marginal m) => m switch
    {
        ConstantDelay c => $"distribution = constant, value = {N(c.Value)}",
        UniformDelay u => $"distribution = uniform, low = {N(u.Low)}, high = {N(u.High)}",
        TruncatedNormalDelay n => $"distribution = normal, mean = {N(n.Mu)}, sd = {N(n.Sigma)}",
        ExponentialDelay e => $"distribution = exponential, mean = {N(e.Mean)}",
        GammaDelay g => $"distribution = gamma, shape = {N(g.Shape)}, scale = {N(g.Scale)}",
        LogNormalDelay l => $"distribution = lognormal, mu = {N(l.Mu)}, sigma = {N(l.Sigma)}",
        WeibullDelay w => $"distribution = weibull, shape = {N(w.Shape)}, scale = {N(w.Scale)}",
        ParetoDelay p => $"distribution = pareto, shape = {N(p.Shape)}, scale = {N(p.Scale)}, shift = {N(p.Shift)}",
        GeometricDelay g => $"distribution = geometric, p = {N(g.P)}",
        PoissonDelay p => $"distribution = poisson, mean = {N(p.Lambda)}",
        EmpiricalDelay e => $"distribution = empirical, values = [{string.Join(", ", e.Values.Select(N))}]"
                            + (e.Probabilities is { } p ? $", probabilities = [{string.Join(", ", p.Select(N))}]" : ""),
        _ => throw new ArgumentException($"cannot write {m.Label} as HOCON", nameof(m)),
    };

    static string N(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}

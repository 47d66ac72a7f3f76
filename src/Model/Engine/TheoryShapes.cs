namespace DelaySim.Model.Engine;

/// <summary>
/// Theory overlays for the final generalization gap, as pure functions of finished cells. A bound is drawn as its shape
/// times one constant, which is fitted by least squares to the measured gaps (the paper's shape, Hardt et al.'s, 1/n) or
/// anchored at the smallest delay (Regatti et al.'s, whose growth no fit could follow). Each result has one value per
/// input cell, NaN where the shape does not apply; null when fewer than two cells can carry it. Cells with a diverged
/// replicate are left out: their gap is that of an exploding run, not of a stable one.
/// </summary>
public static class TheoryShapes
{
    /// <summary>A cell as the shapes see it: its summary and its spec (for the step-size schedule).</summary>
    public sealed record Input(CellSummary Summary, CellSpec Spec);

    public sealed record Overlay(double[] Value, double Constant);

    /// <summary>
    /// Regatti et al.'s shape in log₁₀ (its values overflow a double), with the smoothness β it used per cell and the index
    /// of the cell it is anchored at.
    /// </summary>
    public sealed record LogOverlay(double[] Log10Value, double Log10Constant, double[] Beta, int Anchor);

    /// <summary>Deng et al.'s convex-quadratic shape (T − τ)/(nτ), τ the fixed delay or the maximum τ̂, over cells with τ ≥ 1.</summary>
    public static Overlay? Paper(IReadOnlyList<Input> cells) =>
        Fitted(cells, c => c.Summary.Tau >= 1 && c.Summary.Iterations > c.Summary.Tau
            ? (c.Summary.Iterations - c.Summary.Tau) / ((double)c.Summary.N * c.Summary.Tau)
            : double.NaN);

    /// <summary>
    /// Hardt, Recht and Singer (2016), delay-free SGD on convex smooth losses: 2L²·Σ_t η_t / n, drawn as c·Σ_t η_t / n (L
    /// is not bounded for least squares, so c is fitted). It sees the delay only through a τ-dependent step size. Not
    /// defined for time-domain cells, whose steps sum several gradients.
    /// </summary>
    public static Overlay? Hardt(IReadOnlyList<Input> cells) => Fitted(cells, HardtStepSum);

    /// <summary>
    /// Σ_t η_t / n with the step each update rule really takes: η_t times the rule's step factor at τ_t, in expectation
    /// over the staleness law (exact for fixed delays). For plain SGD the schedule's own sum.
    /// </summary>
    public static double HardtStepSum(Input c)
    {
        if (c.Spec.Time is not null) return double.NaN;
        var rule = c.Spec.Rule;
        var sum = 0.0;
        for (var t = 0L; t < c.Summary.Iterations; t++)
            sum += ReferenceEquals(rule, Updates.UpdateRule.Plain) ? c.Spec.EtaAt(t) : c.Spec.EtaAt(t) * c.Spec.Staleness.Expected(rule.StepFactor, t);
        return sum / c.Summary.N;
    }

    /// <summary>The strongly convex rate c/n (Deng et al.; independent of τ and T).</summary>
    public static Overlay? InverseN(IReadOnlyList<Input> cells) =>
        cells.Select(c => c.Summary.N).Distinct().Count() < 2 ? null : Fitted(cells, c => 1.0 / c.Summary.N);

    /// <summary>
    /// Regatti et al. (2019), asynchronous SGD on non-convex L-Lipschitz β-smooth losses with a decreasing step:
    /// O(L²·K^(βτ̂) / (nβτ̂)) as Deng et al. (NeurIPS 2024) state it, K server steps, τ̂ the maximum delay. β is taken as
    /// λ_max of the training Hessian (a lower bound on the per-sample smoothness, so the growth drawn is the least the bound
    /// allows). c is anchored so that the shape equals the measured gap at the smallest τ̂ ≥ 1 with a positive gap.
    /// </summary>
    public static LogOverlay? Regatti(IReadOnlyList<Input> cells)
    {
        var log10 = cells.Select(c =>
        {
            var s = c.Summary;
            if (!Usable(c) || s.Tau < 1 || s.Iterations < 2 || !(s.LambdaMax > 0)) return double.NaN;
            var beta = s.LambdaMax;
            return (beta * s.Tau * Math.Log(s.Iterations) - Math.Log(s.N * beta * s.Tau)) / Math.Log(10);
        }).ToArray();
        if (log10.Count(double.IsFinite) < 2) return null;
        var anchor = Enumerable.Range(0, cells.Count)
            .Where(i => double.IsFinite(log10[i]) && cells[i].Summary.GenGap > 0)
            .OrderBy(i => cells[i].Summary.Tau).ThenBy(i => i)
            .Select(i => (int?)i).FirstOrDefault();
        if (anchor is not { } a) return null;
        var constant = Math.Log10(cells[a].Summary.GenGap) - log10[a];
        return new LogOverlay(log10.Select(x => x + constant).ToArray(), constant,
            cells.Select(c => c.Summary.LambdaMax).ToArray(), a);
    }

    /// <summary>
    /// The measured rate: the least-squares slope of log gap against log x over the cells with a positive gap (−1 for an
    /// exact c/n); NaN with fewer than two such cells.
    /// </summary>
    public static double LogLogSlope(IReadOnlyList<double> x, IReadOnlyList<double> gap)
    {
        var used = Enumerable.Range(0, x.Count).Where(i => gap[i] > 0 && x[i] > 0 && double.IsFinite(gap[i])).ToArray();
        if (used.Select(i => x[i]).Distinct().Count() < 2) return double.NaN;
        var lx = used.Select(i => Math.Log(x[i])).ToArray();
        var ly = used.Select(i => Math.Log(gap[i])).ToArray();
        return MathNet.Numerics.Fit.Line(lx, ly).B;
    }

    static bool Usable(Input c) => c.Summary.Diverged == 0 && double.IsFinite(c.Summary.GenGap);

    /// <summary>c minimizing Σ (gap − c·shape)² over the cells where both are finite.</summary>
    static Overlay? Fitted(IReadOnlyList<Input> cells, Func<Input, double> shape)
    {
        var shapes = cells.Select(c => Usable(c) ? shape(c) : double.NaN).ToArray();
        var used = Enumerable.Range(0, cells.Count).Where(i => double.IsFinite(shapes[i])).ToArray();
        if (used.Length < 2) return null;
        var squares = used.Sum(i => shapes[i] * shapes[i]);
        if (squares == 0) return null;
        var constant = used.Sum(i => cells[i].Summary.GenGap * shapes[i]) / squares;
        return new Overlay(shapes.Select(x => constant * x).ToArray(), constant);
    }
}

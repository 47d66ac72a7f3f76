using DelaySim.Host.Pipeline;
using DelaySim.Model.Engine;

namespace DelaySim.Host.Output;

/// <summary>
/// The theory overlays of a run, computed once for <c>theory.csv</c> and the plots: per cell, the value of each bound's
/// shape with its constant. τ-shapes are fitted per sweep point (cells that differ only in the delay); the 1/n shape over
/// cells that differ only in n.
/// </summary>
internal static class TheoryTable
{
    public const string Header = "cell,tau,n,iterations,gen_gap,paper,paper_c,hardt,hardt_c,regatti_log10,regatti_log10_c,regatti_beta,inverse_n,inverse_n_c,gap_n_exponent";

    public sealed record TauGroup(string Name, CellOutcome[] Cells, TheoryShapes.Overlay? Paper, TheoryShapes.Overlay? Hardt, TheoryShapes.LogOverlay? Regatti);

    /// <param name="Exponent">The measured rate: slope of log gap against log n (−1 for an exact c/n).</param>
    public sealed record NGroup(string Name, CellOutcome[] Cells, TheoryShapes.Overlay InverseN, double Exponent);

    /// <summary>One group per sweep point, cells in order of τ.</summary>
    public static IReadOnlyList<TauGroup> TauGroups(IReadOnlyList<CellOutcome> outcomes) =>
        outcomes.GroupBy(o => o.Cell.Point.Name)
            .Select(g =>
            {
                var cells = g.OrderBy(o => o.Summary.Tau).ToArray();
                var inputs = Inputs(cells);
                return new TauGroup(g.Key, cells, TheoryShapes.Paper(inputs), TheoryShapes.Hardt(inputs), TheoryShapes.Regatti(inputs));
            })
            .ToArray();

    /// <summary>
    /// Cells that differ only in a swept n (a key path ending in <c>n</c>, such as <c>data.synthetic.n</c>): their sweep
    /// points are equal once n is left out, so any other swept key (a zipped dimension, a schedule) splits the group. In order of n; only groups with
    /// two n or more. The budget may differ (epochs give T ∝ n): the 1/n rate does not depend on T.
    /// </summary>
    public static IReadOnlyList<NGroup> NGroups(IReadOnlyList<CellOutcome> outcomes) =>
        outcomes.GroupBy(o => WithoutN(o.Cell))
            .Select(g =>
            {
                var cells = g.OrderBy(o => o.Summary.N).ToArray();
                if (TheoryShapes.InverseN(Inputs(cells)) is not { } fit) return null;
                var used = cells.Where(o => o.Summary.Diverged == 0).ToArray();
                var slope = TheoryShapes.LogLogSlope(used.Select(o => (double)o.Summary.N).ToArray(), used.Select(o => o.Summary.GenGap).ToArray());
                return new NGroup(g.Key, cells, fit, slope);
            })
            .OfType<NGroup>()
            .ToArray();

    /// <summary>The cell's name without its swept n: the other swept values, then the delay.</summary>
    static string WithoutN(Cell cell) => string.Join(';', cell.Point.LabelsWithout(path => path == "n" || path.EndsWith(".n", StringComparison.Ordinal)).Append(cell.DelayPart));

    public static string Csv(IReadOnlyList<CellOutcome> outcomes)
    {
        var byCell = new Dictionary<CellOutcome, object[]>(ReferenceEqualityComparer.Instance);
        foreach (var g in TauGroups(outcomes))
            for (var i = 0; i < g.Cells.Length; i++)
                byCell[g.Cells[i]] = [Value(g.Paper, i), Constant(g.Paper), Value(g.Hardt, i), Constant(g.Hardt),
                    Finite(g.Regatti?.Log10Value[i]), g.Regatti is null ? "" : g.Regatti.Log10Constant, Finite(g.Regatti?.Beta[i])];
        var inverseN = new Dictionary<CellOutcome, object[]>(ReferenceEqualityComparer.Instance);
        foreach (var g in NGroups(outcomes))
            for (var i = 0; i < g.Cells.Length; i++)
                inverseN[g.Cells[i]] = [Value(g.InverseN, i), g.InverseN.Constant, Finite(g.Exponent)];
        var csv = new Output.Csv(Header.Split(','));
        foreach (var o in outcomes)
        {
            var s = o.Summary;
            csv.Row([s.Cell, s.Tau, s.N, s.Iterations, s.GenGap, .. byCell[o], .. inverseN.GetValueOrDefault(o, ["", "", ""])]);
        }
        return csv.ToString();
    }

    static TheoryShapes.Input[] Inputs(CellOutcome[] cells) => cells.Select(o => new TheoryShapes.Input(o.Summary, o.Cell.Spec)).ToArray();

    static object Value(TheoryShapes.Overlay? overlay, int i) => Finite(overlay?.Value[i]);

    static object Constant(TheoryShapes.Overlay? overlay) => overlay is null ? "" : overlay.Constant;

    static object Finite(double? x) => x is { } v && double.IsFinite(v) ? v : "";
}

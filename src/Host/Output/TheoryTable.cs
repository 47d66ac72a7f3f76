using DelaySim.Host.Pipeline;
using DelaySim.Model.Engine;

namespace DelaySim.Host.Output;

/// <summary>
/// The theory overlays of a run, computed once for <c>theory.csv</c> and the plots: per cell, the value of each bound's
/// shape with its constant. τ-shapes are fitted per sweep point (cells that differ only in the delay); the 1/n shape over
/// cells that differ only in n.
/// </summary>
public static class TheoryTable
{
    public const string Header = "cell,tau,n,iterations,gen_gap,paper,paper_c,hardt,hardt_c,regatti_log10,regatti_log10_c,regatti_beta,inverse_n,inverse_n_c,gap_n_exponent";

    public sealed record TauGroup(string Name, CellOutcome[] Cells, TheoryShapes.Overlay? Paper, TheoryShapes.Overlay? Hardt, TheoryShapes.LogOverlay? Regatti);

    /// <param name="Exponent">The measured rate: slope of log gap against log n (−1 for an exact c/n).</param>
    public sealed record NGroup(string Name, CellOutcome[] Cells, TheoryShapes.Overlay InverseN, double Exponent);

    /// <summary>One group per sweep point (the cell name without its last, delay, part), cells in order of τ.</summary>
    public static IReadOnlyList<TauGroup> TauGroups(IReadOnlyList<CellOutcome> outcomes) =>
        outcomes.GroupBy(o => o.Cell.Name.Contains(';') ? o.Cell.Name[..o.Cell.Name.LastIndexOf(';')] : "")
            .Select(g =>
            {
                var cells = g.OrderBy(o => o.Summary.Tau).ToArray();
                var inputs = Inputs(cells);
                return new TauGroup(g.Key, cells, TheoryShapes.Paper(inputs), TheoryShapes.Hardt(inputs), TheoryShapes.Regatti(inputs));
            })
            .ToArray();

    /// <summary>
    /// Cells that differ only in a swept n (<c>data.synthetic.n</c>): their names are equal once the <c>n=…</c> part is
    /// removed, so any other swept key (a zipped dimension, a schedule) splits the group. In order of n; only groups with
    /// two n or more. The budget may differ (epochs give T ∝ n): the 1/n rate does not depend on T.
    /// </summary>
    public static IReadOnlyList<NGroup> NGroups(IReadOnlyList<CellOutcome> outcomes) =>
        outcomes.GroupBy(o => WithoutN(o.Cell.Name))
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

    /// <summary>The cell name without its swept-n part ("n=64" or "data.synthetic.n=64").</summary>
    static string WithoutN(string cell) => string.Join(';', cell.Split(';').Where(part => !(part.StartsWith("n=") || part.Contains(".n="))));

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

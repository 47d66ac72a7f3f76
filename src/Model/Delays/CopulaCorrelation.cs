using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace DelaySim.Model.Delays;

/// <summary>
/// corr(g(X), g(Y)) for g = F⁻¹∘Φ and (X, Y) standard bivariate normal with correlation r: the output correlation of a
/// Gaussian copula. Computed as E[g(X)g(rX + √(1−r²)U)] with X, U independent, by Gauss–Legendre quadrature on
/// [−8, 8]² (the normal mass outside is below 1e−15). NaN when the marginal has no finite variance.
/// </summary>
internal static class CopulaCorrelation
{
    const int Order = 96;
    const double Bound = 8;
    static readonly GaussLegendreRule Rule = new(-Bound, Bound, Order);

    public static double Output(Marginal marginal, double r)
    {
        if (!double.IsFinite(marginal.Variance)) return double.NaN;
        if (r == 0) return 0;
        var x = Rule.Abscissas;
        var w = Rule.Weights;
        var gx = new double[Order];
        var density = new double[Order];
        for (var i = 0; i < Order; i++)
        {
            gx[i] = G(marginal, x[i]);
            density[i] = w[i] * Normal.PDF(0, 1, x[i]);
        }
        // Mean and second moment from the same rule, so quadrature error largely cancels in the ratio.
        double mean = 0, second = 0;
        for (var i = 0; i < Order; i++)
        {
            mean += density[i] * gx[i];
            second += density[i] * gx[i] * gx[i];
        }
        var variance = second - mean * mean;
        if (variance <= 0) return double.NaN;
        var s = Math.Sqrt(1 - r * r);
        var cross = 0.0;
        for (var i = 0; i < Order; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < Order; j++) inner += density[j] * G(marginal, r * x[i] + s * x[j]);
            cross += density[i] * gx[i] * inner;
        }
        return (cross - mean * mean) / variance;
    }

    static double G(Marginal marginal, double z) => marginal.FromStandardNormal(z);
}

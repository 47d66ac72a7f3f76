using System.Globalization;

namespace DelaySim.Host.Output;

/// <summary>How tables show numbers: significant digits, and a mean ± interval rounded to the interval's precision.</summary>
internal static class NumberText
{
    /// <summary><paramref name="digits"/> significant digits; scientific below 0.001 and from 10⁶ on; "–" for NaN.</summary>
    public static string Significant(double x, int digits = 4)
    {
        if (double.IsNaN(x)) return "–";
        if (x == 0 || double.IsInfinity(x)) return x.ToString(CultureInfo.InvariantCulture);
        var a = Math.Abs(x);
        if (a < 1e-3 || a >= 1e6) return x.ToString("0." + new string('0', digits - 1) + "e+0", CultureInfo.InvariantCulture);
        return x.ToString("F" + Decimals(a, digits), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <c>mean ± half-width</c> with the half-width to two significant digits and the mean to the same decimal place,
    /// so no digit is shown that the interval does not support.
    /// </summary>
    public static string PlusMinus(double mean, double halfWidth)
    {
        if (!double.IsFinite(halfWidth) || halfWidth == 0 || !double.IsFinite(mean)) return Significant(mean) + (double.IsNaN(halfWidth) ? "" : $" ± {Significant(halfWidth, 2)}");
        var scale = Math.Max(Math.Abs(mean), halfWidth);
        if (scale < 1e-3 || scale >= 1e6)
        {
            // The mean keeps the digits down to the interval's second significant one (at least two).
            var digits = mean == 0 ? 2 : Math.Clamp((int)Math.Floor(Math.Log10(Math.Abs(mean))) - (int)Math.Floor(Math.Log10(halfWidth)) + 2, 2, 12);
            return $"{mean.ToString("0." + new string('0', digits - 1) + "e+0", CultureInfo.InvariantCulture)} ± {halfWidth.ToString("0.0e+0", CultureInfo.InvariantCulture)}";
        }
        var format = "F" + Decimals(halfWidth, 2);
        return $"{mean.ToString(format, CultureInfo.InvariantCulture)} ± {halfWidth.ToString(format, CultureInfo.InvariantCulture)}";
    }

    static int Decimals(double magnitude, int digits) => Math.Clamp(digits - 1 - (int)Math.Floor(Math.Log10(magnitude)), 0, 12);
}

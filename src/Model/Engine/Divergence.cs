namespace DelaySim.Model.Engine;

/// <summary>
/// When a run has blown up: checked by every engine at every checkpoint on trajectory 0, from the parameters alone, so
/// all engines stop at the same step. Non-finite, or ‖w_t‖ above <see cref="NormFactor"/> · (1 + ‖w_0‖).
/// </summary>
public static class Divergence
{
    public const double NormFactor = 1e6;

    public static bool Exploded(ReadOnlySpan<double> w, double initialNorm)
    {
        var norm = Problems.Kernels.Norm(w);
        return !double.IsFinite(norm) || norm > NormFactor * (1 + initialNorm);
    }
}

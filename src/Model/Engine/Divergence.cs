namespace DelaySim.Model.Engine;

/// <summary>
/// The one divergence rule, in its two places. During a run every server checks trajectory 0 at each checkpoint from
/// its parameters alone (<see cref="Exploded"/>), so every engine stops at the same step. Afterwards a replicate counts
/// as diverged (<see cref="Diverged"/>) when its last checkpoint is non-finite or its train loss ended far above where
/// it began; a run stopped by <see cref="Exploded"/> always satisfies that, and a run can also satisfy it without
/// exploding (a slow blow-up that the budget ends first).
/// </summary>
internal static class Divergence
{
    /// <summary>‖w_t‖ above this times (1 + ‖w_0‖) stops the run.</summary>
    public const double NormFactor = 1e6;

    /// <summary>A final train loss above this times the initial one counts as diverged.</summary>
    public const double LossFactor = 100;

    public static bool Exploded(ReadOnlySpan<double> w, double initialNorm)
    {
        var norm = Problems.Kernels.Norm(w);
        return !double.IsFinite(norm) || norm > NormFactor * (1 + initialNorm);
    }

    public static bool Diverged(IReadOnlyList<Checkpoint> checkpoints)
    {
        var final = checkpoints[^1];
        return !double.IsFinite(final.TrainLoss) || !double.IsFinite(final.TestLoss) || final.TrainLoss > LossFactor * checkpoints[0].TrainLoss;
    }
}

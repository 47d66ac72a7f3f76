using DelaySim.Model.Delays;

namespace DelaySim.Model.StalenessDomain;

/// <summary>
/// τ_t drawn from any delay model of the library (a marginal, copula correlation, regimes, stragglers, …) with its
/// values read as steps: τ_t = min(<paramref name="Cap"/>, round(x_t)), where x_t is the model's t-th draw (its "time"
/// argument is the step). The cap τ̂ sizes the history ring. Each planner opens its own stream of the model, so
/// replicates and twins with their own delays are independent and every engine sees the same sequence.
/// </summary>
public sealed record ModelStaleness(DelayModel Model, int Cap) : IStaleness
{
    public int Max => Cap >= 0 ? Cap : throw new ArgumentOutOfRangeException(nameof(Cap));

    /// <summary>The model's declared mean, before rounding and capping.</summary>
    public double Mean => Model.Declared(0, 0, 1).Mean;

    public string Label => $"model({Model.Label}, cap {Cap})";

    public IStalenessSequence Start(ulong seed, string stream)
    {
        var draws = Model.Open(seed, stream, 1)[0];
        return new StepFunction(step =>
        {
            var x = draws.Next(step);
            if (!(x >= 0)) throw new InvalidOperationException($"staleness model {Model.Label}: draw {x} at step {step} is not a delay ≥ 0");
            return (int)Math.Min(Cap, Math.Round(x, MidpointRounding.AwayFromZero));
        });
    }

    /// <summary>Not known in closed form for a general model (the theory overlays that need it are left out).</summary>
    public double Expected(Func<long, double> f, long step) => double.NaN;
}

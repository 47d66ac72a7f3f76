using DelaySim.Model.Randomness;

namespace DelaySim.Model.StalenessDomain;

/// <summary>The staleness-domain delay: the τ_t used at server step t, drawn in step order from the "delay" stream.</summary>
public interface IStaleness
{
    /// <summary>τ̂, the largest value <see cref="Next"/> can return; sizes the history ring.</summary>
    int Max { get; }

    /// <summary>E[τ_t] before clamping at the first steps.</summary>
    double Mean { get; }

    /// <summary>The τ_t of one planner (one replicate, or one twin with its own delays), drawn from the stream <paramref name="stream"/> of <paramref name="seed"/>.</summary>
    IStalenessSequence Start(ulong seed, string stream);

    /// <summary>E[f(τ_t)] at step <paramref name="step"/>, where τ_t is clamped at the step (no version before 0).</summary>
    double Expected(Func<long, double> f, long step);

    /// <summary>Stable text for file names and tables, e.g. <c>fixed(4)</c>.</summary>
    string Label { get; }
}

/// <summary>τ_t for the steps t = 0, 1, 2, … of one planner, asked for in step order.</summary>
public interface IStalenessSequence
{
    int Next(long step);
}

/// <summary>A sequence that is a function of the step alone.</summary>
internal sealed class StepFunction(Func<long, int> tau) : IStalenessSequence
{
    public int Next(long step) => tau(step);
}

/// <summary>τ_t = τ for every step.</summary>
public sealed record FixedStaleness(int Tau) : IStaleness
{
    public int Max => Tau >= 0 ? Tau : throw new ArgumentOutOfRangeException(nameof(Tau));
    public double Mean => Tau;
    public IStalenessSequence Start(ulong seed, string stream) => new StepFunction(_ => Tau);
    public double Expected(Func<long, double> f, long step) => f(Math.Min(Tau, step));
    public string Label => $"fixed({Tau})";
}

/// <summary>τ_t uniform on {0, …, τ̂}, independent across steps (the paper's bounded random delay).</summary>
public sealed record UniformStaleness(int MaxTau) : IStaleness
{
    public int Max => MaxTau >= 0 ? MaxTau : throw new ArgumentOutOfRangeException(nameof(MaxTau));
    public double Mean => MaxTau / 2.0;
    public IStalenessSequence Start(ulong seed, string stream)
    {
        var rng = Streams.For(seed, stream);
        return new StepFunction(_ => rng.NextIndex(MaxTau + 1));
    }

    public double Expected(Func<long, double> f, long step)
    {
        var sum = 0.0;
        for (var u = 0L; u <= MaxTau; u++) sum += f(Math.Min(u, step));
        return sum / (MaxTau + 1);
    }

    public string Label => $"uniform(0..{MaxTau})";
}

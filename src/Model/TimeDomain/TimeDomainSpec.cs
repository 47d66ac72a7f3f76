using DelaySim.Model.Delays;

namespace DelaySim.Model.TimeDomain;

/// <summary>How the server applies gradients that arrive.</summary>
public enum ApplyPolicy
{
    /// <summary>Each gradient is applied on arrival: one update per gradient.</summary>
    Each,
    /// <summary>Gradients arriving at the same virtual time are summed into one update (the paper's parameter server).</summary>
    SumPerTick,
}

/// <summary>Which examples a worker samples from.</summary>
public enum DataPlacement
{
    /// <summary>Every worker samples from the whole training set.</summary>
    Shared,
    /// <summary>Worker m samples only examples i with i mod M = m (disjoint shards, as in the paper's code).</summary>
    Sharded,
}

/// <summary>
/// The time domain: M workers loop pull → compute → push. A worker gets a snapshot over its downlink, computes for a
/// sampled compute time, pushes its gradient over its uplink; the server applies on arrival and answers with a fresh
/// snapshot. Staleness (versions between pull and apply) emerges from the timing. Times are virtual seconds.
/// </summary>
public sealed record TimeDomainSpec(
    int Workers,
    ApplyPolicy Policy,
    DataPlacement Data,
    DelayModel Compute,
    DelayModel Uplink,
    DelayModel Downlink,
    string Label)
{
    /// <summary>
    /// True in the parameter-server domain counting server steps as the official code does: a step in which no worker
    /// fires (d &gt; M) applies nothing but is still a step, and the budget and the checkpoints count steps. Virtual
    /// time is then the step index.
    /// </summary>
    public bool CountsServerSteps { get; init; }

    /// <summary>
    /// The paper's parameter server: worker m fires every d_m server steps, first at step m mod d_m, with no latency; the
    /// server sums the gradients of a step. <paramref name="periods"/> are the d_m (d = 1 is plain SGD).
    /// <paramref name="countSteps"/>: count server steps, empty ones included (the official code), or applied updates.
    /// </summary>
    public static TimeDomainSpec ParameterServer(int[] periods, string label, bool countSteps = true) => new(
        periods.Length, ApplyPolicy.SumPerTick, DataPlacement.Sharded,
        new FiringSchedule(periods), new IidModel(new ConstantDelay(0)), new IidModel(new ConstantDelay(0)), label)
    {
        CountsServerSteps = countSteps,
    };

    /// <summary>The paper's <c>random</c> delays: d_0 = D, d_1 = 1, the others uniform on {1..D}, drawn once from the "ps/delays" stream.</summary>
    public static int[] RandomPeriods(int workers, int maxDelay, ulong seed)
    {
        var rng = Randomness.Streams.For(seed, "ps/delays");
        return Enumerable.Range(0, workers).Select(m => m == 0 ? maxDelay : m == 1 ? 1 : 1 + rng.NextIndex(maxDelay)).ToArray();
    }
}

/// <summary>
/// Compute "times" of the parameter-server schedule: worker m's first cycle lasts m mod d_m steps, every later one d_m,
/// so it fires at the steps t with (t − m) mod d_m = 0.
/// </summary>
internal sealed record FiringSchedule(int[] Periods) : DelayModel
{
    public override string Label => $"fires every [{string.Join(", ", Periods)}] steps";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        if (workers != Periods.Length) throw new ArgumentException($"the schedule has {Periods.Length} periods for {workers} workers");
        if (Periods.Any(d => d < 1)) throw new ArgumentException("every period must be ≥ 1");
        return Periods.Select((d, m) => (IDelayStream)new Stream(d, m % d)).ToArray();
    }

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers) => DeclaredStatistics.Of(new ConstantDelay(Periods[worker]));

    /// <summary>How many of the server steps 0..<paramref name="steps"/> − 1 have at least one worker firing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long StepsWithGradients(long steps)
    {
        var count = 0L;
        for (var t = 0L; t < steps; t++)
            for (var m = 0; m < Periods.Length; m++)
                if (t >= m % Periods[m] && (t - m % Periods[m]) % Periods[m] == 0) { count++; break; }
        return count;
    }

    sealed class Stream(int period, int phase) : IDelayStream
    {
        bool _first = true;

        public double Next(double now)
        {
            if (!_first) return period;
            _first = false;
            return phase;
        }
    }
}

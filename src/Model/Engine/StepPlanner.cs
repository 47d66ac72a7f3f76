using DelaySim.Model.Randomness;

namespace DelaySim.Model.Engine;

/// <summary>How mini-batch indices are drawn.</summary>
public enum Sampling
{
    /// <summary>i.i.d. uniform on {0..n−1} with replacement (the paper's analysis).</summary>
    Uniform,
    /// <summary>A fresh random permutation each epoch, consumed in order (what a shuffling data loader does).</summary>
    Shuffle,
}

/// <summary>
/// Plans server steps in order t = 0, 1, 2, …: the delay τ_t (from the "delay" stream), the stale version
/// v_t = max(0, t − τ_t) whose parameters the gradient is taken at, and the mini-batch indices (from the "samples"
/// stream). Every engine and every twin consumes the same plan, which is what couples twin runs and makes engines agree.
/// </summary>
public sealed class StepPlanner
{
    readonly IStaleness _staleness;
    readonly Rng _delayRng;
    readonly Rng _sampleRng;
    readonly int _n;
    readonly Sampling _sampling;
    readonly int[]? _permutation;
    int _cursor;

    public StepPlanner(IStaleness staleness, int n, int batch, Sampling sampling, ulong seed)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch));
        _staleness = staleness;
        _n = n;
        Batch = batch;
        _sampling = sampling;
        _delayRng = Streams.For(seed, "delay");
        _sampleRng = Streams.For(seed, "samples");
        if (sampling == Sampling.Shuffle)
        {
            _permutation = new int[n];
            _cursor = n;
        }
    }

    public int Batch { get; }

    /// <summary>The step the next call plans.</summary>
    public long NextStep { get; private set; }

    /// <summary>Plans step <see cref="NextStep"/>: fills <paramref name="batch"/> and returns the stale version v_t.</summary>
    public long Next(Span<int> batch)
    {
        var t = NextStep++;
        var tau = _staleness.Next(_delayRng);
        for (var j = 0; j < batch.Length; j++) batch[j] = NextIndex();
        return Math.Max(0, t - tau);
    }

    int NextIndex()
    {
        if (_permutation is null) return _sampleRng.NextIndex(_n);
        if (_cursor == _n)
        {
            for (var i = 0; i < _n; i++) _permutation[i] = i;
            for (var i = _n - 1; i > 0; i--)
            {
                var j = _sampleRng.NextIndex(i + 1);
                (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
            }
            _cursor = 0;
        }
        return _permutation[_cursor++];
    }
}

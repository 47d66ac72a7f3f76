namespace DelaySim.Model.Randomness;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018) seeded through SplitMix64. It derives from <see cref="Random"/> so that
/// MathNet distributions accept it, while the hot paths call the sealed, non-virtual <see cref="NextIndex"/> and
/// <see cref="NextUnit"/>. The algorithm is fixed and documented, so a stream is the same on every runtime and machine
/// (unlike <c>new Random(seed)</c>, whose algorithm .NET may change).
/// </summary>
public sealed class Rng : Random
{
    ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64.Next(ref sm);
        _s1 = SplitMix64.Next(ref sm);
        _s2 = SplitMix64.Next(ref sm);
        _s3 = SplitMix64.Next(ref sm);
    }

    public ulong NextUInt64() => Step(ref _s0, ref _s1, ref _s2, ref _s3);

    /// <summary>One xoshiro256** step on a state held wherever the caller keeps it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Step(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Unit(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3) => (Step(ref s0, ref s1, ref s2, ref s3) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextUnit() => Unit(ref _s0, ref _s1, ref _s2, ref _s3);

    /// <summary>Uniform integer on [0, n), unbiased (Lemire's multiply-shift with rejection).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int NextIndex(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        var bound = (ulong)n;
        var m = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold) m = Math.BigMul(NextUInt64(), bound, out low);
        }
        return (int)m;
    }

    /// <summary>
    /// Fills <paramref name="values"/> with standard normal draws: exactly the values that as many calls of
    /// <see cref="NextGaussian"/> would return (the spare included), without the per-call branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FillGaussian(Span<double> values)
    {
        var i = 0;
        if (values.Length > 0 && _hasSpare)
        {
            values[i++] = _spare;
            _hasSpare = false;
        }
        // The generator's state lives in locals for the loop (the JIT keeps fields in memory across calls).
        var (s0, s1, s2, s3) = (_s0, _s1, _s2, _s3);
        for (; i + 2 <= values.Length; i += 2)
        {
            var (u, v, f) = PolarPair(ref s0, ref s1, ref s2, ref s3);
            values[i] = u * f;
            values[i + 1] = v * f;
        }
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
        if (i < values.Length) values[i] = NextGaussian();
    }

    /// <summary>
    /// Fills <paramref name="values"/> with standard normal draws by the <see cref="Ziggurat"/>: exactly the values as
    /// many calls of <see cref="Ziggurat.Next"/> would return. The polar method's spare, if any, is left for
    /// <see cref="NextGaussian"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FillZiggurat(Span<double> values)
    {
        // The slow path (1.5 % of words) draws from the stream itself; it stays out of the inner loop, which then
        // keeps the generator's state in registers.
        for (var i = FillInner(values, 0, out var bits); i < values.Length; i = FillInner(values, i + 1, out bits))
            values[i] = Ziggurat.Draw(bits, this);
    }

    /// <summary>Ziggurat draws into <paramref name="values"/> from <paramref name="start"/> on, up to the first word that needs the slow path (its index, and the word).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int FillInner(Span<double> values, int start, out ulong bits)
    {
        var (s0, s1, s2, s3) = (_s0, _s1, _s2, _s3);
        var layers = Ziggurat.Layers;
        bits = 0;
        var i = start;
        for (; i < values.Length; i++)
        {
            bits = Step(ref s0, ref s1, ref s2, ref s3);
            if (!Ziggurat.Inner(layers, bits, out var x)) break;
            values[i] = x;
        }
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
        return i;
    }

    /// <summary>One accepted point (u, v) of the polar method and its factor: the pair of normals is (u·f, v·f).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (double U, double V, double F) PolarPair(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        double u, v, s;
        do
        {
            u = 2 * Unit(ref s0, ref s1, ref s2, ref s3) - 1;
            v = 2 * Unit(ref s0, ref s1, ref s2, ref s3) - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return (u, v, Math.Sqrt(-2 * Math.Log(s) / s));
    }

    /// <summary>Standard normal draw (Marsaglia polar method; two uniforms per pair, the spare is kept).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spare; }
        var (u, v, f) = PolarPair(ref _s0, ref _s1, ref _s2, ref _s3);
        _spare = v * f;
        _hasSpare = true;
        return u * f;
    }

    bool _hasSpare;
    double _spare;

    // System.Random surface, so MathNet distributions can draw from this stream.
    protected override double Sample() => NextUnit();
    public override double NextDouble() => NextUnit();
    public override int Next() => (int)(NextUInt64() >> 33);
    public override int Next(int maxValue) => maxValue <= 0 ? 0 : NextIndex(maxValue);
    public override int Next(int minValue, int maxValue) =>
        maxValue <= minValue ? minValue : minValue + (int)((NextUInt64() >> 1) % (ulong)((long)maxValue - minValue));
    public override long NextInt64() => (long)(NextUInt64() >> 1);
    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++) buffer[i] = (byte)(NextUInt64() >> 56);
    }
    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());
}

static class SplitMix64
{
    public static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

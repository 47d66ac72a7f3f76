using DelaySim.Model.Randomness;
using MathNet.Numerics.Distributions;

namespace DelaySim.Tests.Model;

/// <summary>
/// The ziggurat sampler against the normal law, at fixed seeds: the whole distribution (Kolmogorov–Smirnov), the
/// moments, and the probability of each of its three paths (inner rectangles, wedges, tail beyond r = 3.654), so that a
/// wrong table entry or a broken slow path fails here even where the bulk of the draws is right.
/// </summary>
public class ZigguratTests
{
    const int Draws = 1_000_000;

    static double[] Sample(ulong seed)
    {
        var values = new double[Draws];
        new Rng(seed).FillZiggurat(values);
        return values;
    }

    [Fact]
    public void Its_draws_follow_the_standard_normal_law()
    {
        var x = Sample(11);
        Array.Sort(x);
        // Kolmogorov–Smirnov: sup |F_n − Φ| of a million draws is below 1.95/√n with probability 0.999.
        var d = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var phi = Normal.CDF(0, 1, x[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / x.Length - phi, phi - (double)i / x.Length));
        }
        Assert.True(d < 1.95 / Math.Sqrt(Draws), $"KS distance {d:E3} ≥ {1.95 / Math.Sqrt(Draws):E3}");
    }

    [Fact]
    public void Its_moments_are_those_of_the_standard_normal()
    {
        var x = Sample(12);
        // Standard errors at n = 10⁶: mean 0.001, variance 0.0014, skewness 0.0024, kurtosis 0.0049; tolerances ≥ 5 of them.
        Assert.InRange(x.Average(), -0.005, 0.005);
        var variance = x.Select(v => v * v).Average();
        Assert.InRange(variance, 1 - 0.007, 1 + 0.007);
        Assert.InRange(x.Select(v => v * v * v).Average(), -0.012, 0.012);
        Assert.InRange(x.Select(v => v * v * v * v).Average(), 3 - 0.025, 3 + 0.025);
    }

    [Fact]
    public void The_tail_and_the_wedges_carry_their_share_of_the_probability()
    {
        var x = Sample(13);
        // P(|X| > r) = 2(1 − Φ(r)) ≈ 2.58e−4: only the tail path produces these (≈ 258 of 10⁶, sd ≈ 16).
        var beyond = x.Count(v => Math.Abs(v) > 3.6541528853610088);
        var expected = 2 * (1 - Normal.CDF(0, 1, 3.6541528853610088)) * Draws;
        Assert.InRange(beyond, expected - 6 * Math.Sqrt(expected), expected + 6 * Math.Sqrt(expected));
        // Deep in the tail too: P(|X| > 4.5) ≈ 6.8e−6 (≈ 6.8 draws); at most 25 is beyond 6 sd.
        Assert.InRange(x.Count(v => Math.Abs(v) > 4.5), 0, 25);
        // Bins across the bulk, where wedge draws land between rectangles: each count within 6 sd of n·ΔΦ.
        for (var a = -3.0; a < 3.0; a += 0.25)
        {
            var lo = a;
            var count = x.Count(v => v >= lo && v < lo + 0.25);
            var p = Normal.CDF(0, 1, lo + 0.25) - Normal.CDF(0, 1, lo);
            var sd = Math.Sqrt(Draws * p * (1 - p));
            Assert.InRange(count, Draws * p - 6 * sd, Draws * p + 6 * sd);
        }
        // Symmetric: the sign bit is used for every draw, the tail's included.
        Assert.InRange(x.Count(v => v < 0), Draws / 2 - 3000, Draws / 2 + 3000);
    }

    [Fact]
    public void A_fill_is_the_same_as_one_draw_at_a_time_and_reruns_are_identical()
    {
        var filler = new Rng(14);
        var filled = new double[10_000];
        filler.FillZiggurat(filled);
        var rng = new Rng(14);
        var single = Enumerable.Range(0, filled.Length).Select(_ => Ziggurat.Next(rng)).ToArray();
        Assert.Equal(filled, single);
        // The fill hands the slow path (1.5 % of words, about 150 times here) the stream and takes it back in step.
        Assert.Equal(rng.NextUInt64(), filler.NextUInt64());
        var again = new double[10_000];
        new Rng(14).FillZiggurat(again);
        Assert.Equal(filled, again);
    }

    [Fact]
    public void Synthetic_rows_drawn_by_either_sampler_pose_the_same_problem()
    {
        var polar = new DelaySim.Model.Data.SyntheticRegression(16, 0.5, 1, 1, seed: 3);
        var ziggurat = new DelaySim.Model.Data.SyntheticRegression(16, 0.5, 1, 1, seed: 3, GaussianSampler.Ziggurat);
        Assert.Equal(polar.TrueWeights, ziggurat.TrueWeights);
        var a = polar.Sample(50, new Rng(4));
        var b = ziggurat.Sample(50, new Rng(4));
        Assert.NotEqual(a.Row(0).ToArray(), b.Row(0).ToArray());
        // The lane layout holds the same draws as the row layout for the ziggurat too.
        var lanes = ziggurat.SampleInLanes(50, new Rng(4));
        for (var i = 0; i < 50; i++) { Assert.Equal(b.Row(i).ToArray(), lanes.Row(i).ToArray()); Assert.Equal(b.Label(i), lanes.Label(i)); }
    }
}

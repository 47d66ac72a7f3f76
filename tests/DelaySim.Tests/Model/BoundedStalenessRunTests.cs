using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;
using DelaySim.Model.Updates;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>What dropping or holding gradients does to whole runs, worked out by hand.</summary>
public class BoundedStalenessRunTests
{
    [Fact]
    public void Staleness_domain_with_fixed_tau_3_and_max_2_applies_only_the_first_three_steps()
    {
        // τ_t = min(t, 3): steps 0, 1, 2 are no staler than 2 and apply; every later step is dropped (w unchanged).
        var bounded = DirectEngine.Run(Replicate.Prepare(SpecBuilder.Fixed(3).Build() with { Rule = new BoundedStalenessUpdate(2) }, 5), 0);
        var three = DirectEngine.Run(Replicate.Prepare(SpecBuilder.Fixed(3).Build() with { Iterations = 3 }, 5), 0);
        for (var k = 0; k < three.FinalParameters.Length; k++)
            Assert.Equal(three.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits), bounded.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits));
        var spec = SpecBuilder.Fixed(3).Build() with { Rule = new BoundedStalenessUpdate(2) };
        Assert.Equal(spec.Iterations - 3, CellSummary.From("c", spec, 40, [bounded], double.NaN).Dropped);
    }

    [Fact]
    public void Time_domain_in_lockstep_with_max_0_applies_one_gradient_a_round_and_drops_the_rest()
    {
        // Five workers with constant compute and no latency arrive together every round. The first applied is fresh
        // (staleness 0); the other four then lag by one version and are dropped, and pull the new version. Each round
        // worker 0 (who pulled right after its own update) is fresh again: one update and four drops a round. The tenth
        // update ends the run before the other four gradients of that round are looked at: 9·5 + 1 arrivals, 9·4 dropped.
        var time = new TimeDomainSpec(5, ApplyPolicy.Each, DataPlacement.Shared, new IidModel(new ConstantDelay(1)),
            new IidModel(new ConstantDelay(0)), new IidModel(new ConstantDelay(0)), "lockstep");
        var spec = (SpecBuilder.Fixed(0) with { Twins = 0 }).Build() with { Time = time, Workers = 5, Iterations = 10, Rule = new BoundedStalenessUpdate(0) };
        var result = DirectEngine.Run(Replicate.Prepare(spec, 21), 0);
        Assert.Equal(10, result.Final.Iteration);
        Assert.Equal(46, result.StalenessCounts.Sum());
        Assert.Equal(36, CellSummary.From("c", spec, 40, [result], double.NaN).Dropped);
        Assert.Equal(10, result.Workers![0].StalenessCounts[0]);
    }

    [Fact]
    public void Time_domain_in_lockstep_with_a_buffer_of_five_makes_one_version_a_round()
    {
        // Five workers arrive together every round; the fifth gradient of a round fills the buffer and makes the new
        // version. Round 1: all computed on v0 (staleness 0). Later rounds: workers 0–3 got v_{r−1} back while their
        // gradients were held, worker 4 got v_r after the flush, so four arrive with staleness 1 and one with 0.
        var time = new TimeDomainSpec(5, ApplyPolicy.Each, DataPlacement.Shared, new IidModel(new ConstantDelay(1)),
            new IidModel(new ConstantDelay(0)), new IidModel(new ConstantDelay(0)), "lockstep");
        var spec = (SpecBuilder.Fixed(0) with { Twins = 1 }).Build() with { Time = time, Workers = 5, Iterations = 10, Rule = new BufferedUpdate(5, true) };
        var result = DirectEngine.Run(Replicate.Prepare(spec, 21), 0);
        Assert.Equal(10, result.Final.Iteration);
        Assert.Equal([14L, 36], result.StalenessCounts.Take(2));
        Assert.Equal(50, result.StalenessCounts.Sum());
    }
}

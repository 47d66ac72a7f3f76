using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;
using DelaySim.Model.Updates;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>
/// The time domain's simulations write each snapshot and gradient into the arrays of ones already applied; that must
/// give the bits of fresh arrays whatever the apply policy and the rule (rules that adjust the gradient in place or
/// hold it, workers that wait).
/// </summary>
public class TimeRecyclingTests
{
    static readonly TimeDomainSpec Hardware = new(4, ApplyPolicy.Each, DataPlacement.Shared,
        new StragglerModel(new CopulaModel(new GammaDelay(3, 0.003), [0.8]), 0.25, 3),
        new IidModel(new ExponentialDelay(0.002)), new IidModel(new UniformDelay(0.0001, 0.0003)), "recycling");

    public static TheoryData<ApplyPolicy, string> Cases => new()
    {
        { ApplyPolicy.Each, "plain" }, { ApplyPolicy.SumPerTick, "plain" },
        { ApplyPolicy.Each, "delay-compensated" }, { ApplyPolicy.SumPerTick, "delay-compensated" },
        { ApplyPolicy.Each, "buffered" }, { ApplyPolicy.Each, "momentum" }, { ApplyPolicy.Each, "ssp-wait" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Recycled_arrays_give_the_bits_of_fresh_ones(ApplyPolicy policy, string rule)
    {
        var time = Hardware with { Policy = policy };
        var spec = (SpecBuilder.Fixed(0) with { Twins = 2 }).Build() with
        {
            Time = time, Workers = time.Workers, Iterations = 300, Twins = 2,
            Rule = rule switch
            {
                "delay-compensated" => new DelayCompensatedUpdate(0.5),
                "buffered" => new BufferedUpdate(3, Mean: true),
                "momentum" => new MomentumUpdate(0.5),
                "ssp-wait" => new BoundedStalenessUpdate(2, Wait: true),
                _ => UpdateRule.Plain,
            },
        };
        var fresh = TimeLoop.Run(Replicate.Prepare(spec, 21), 0, recycle: false);
        var recycled = TimeLoop.Run(Replicate.Prepare(spec, 21), 0, recycle: true);
        for (var k = 0; k < fresh.FinalParameters.Length; k++)
            Assert.Equal(fresh.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits), recycled.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(fresh.Checkpoints, recycled.Checkpoints);
        Assert.Equal(fresh.StalenessCounts, recycled.StalenessCounts);
    }
}

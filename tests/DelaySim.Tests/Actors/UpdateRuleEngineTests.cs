using Akka.TestKit.Xunit2;
using DelaySim.Actors;
using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;
using DelaySim.Tests.Model;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Actors;

/// <summary>A rule plugged into the spec reaches both engines in every domain, bit for bit.</summary>
public class UpdateRuleEngineTests() : TestKit("akka.loglevel = WARNING")
{
    static readonly TimeDomainSpec Hardware = new(3, ApplyPolicy.SumPerTick, DataPlacement.Shared,
        new IidModel(new ExponentialDelay(0.01)), new IidModel(new ExponentialDelay(0.002)), new IidModel(new ConstantDelay(0)), "test");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Both_engines_apply_a_new_rule_identically(bool timeDomain)
    {
        var spec = SpecBuilder.Uniform(5).Build() with { Rule = new UpdateRuleTests.HalfStep() };
        if (timeDomain) spec = spec with { Time = Hardware, Workers = Hardware.Workers };
        var direct = DirectEngine.Run(Replicate.Prepare(spec, 3), 0);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(spec, 3), 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(UpdateRuleTests.Bits(direct.FinalParameters[k]), UpdateRuleTests.Bits(actors.FinalParameters[k]));
        var plain = DirectEngine.Run(Replicate.Prepare(spec with { Rule = DelaySim.Model.Updates.UpdateRule.Plain }, 3), 0);
        Assert.NotEqual(UpdateRuleTests.Bits(plain.FinalParameters[0]), UpdateRuleTests.Bits(direct.FinalParameters[0]));
    }

    public static TheoryData<string, bool> Rules => new()
    {
        { "delay-adaptive", false }, { "delay-adaptive", true },
        { "staleness-weighted", false }, { "staleness-weighted", true },
        { "momentum", false }, { "momentum", true },
        { "bounded-staleness", false }, { "bounded-staleness", true },
        { "delay-compensated", false }, { "delay-compensated", true },
        { "buffered", false }, { "buffered", true },
    };

    static DelaySim.Model.Updates.UpdateRule Rule(string kind) => kind switch
    {
        "delay-adaptive" => new DelaySim.Model.Updates.DelayAdaptiveUpdate(2),
        "staleness-weighted" => new DelaySim.Model.Updates.StalenessWeightedUpdate(DelaySim.Model.Updates.StalenessWeight.Hinge, 0.5, 1),
        "bounded-staleness" => new DelaySim.Model.Updates.BoundedStalenessUpdate(1),
        "delay-compensated" => new DelaySim.Model.Updates.DelayCompensatedUpdate(5),
        "buffered" => new DelaySim.Model.Updates.BufferedUpdate(3, true, new DelaySim.Model.Updates.StalenessWeightedUpdate(DelaySim.Model.Updates.StalenessWeight.Polynomial, 0.5, 0)),
        _ => new DelaySim.Model.Updates.MomentumUpdate(0.7),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Every_shipped_rule_runs_bit_identically_in_both_engines(string kind, bool timeDomain)
    {
        var spec = SpecBuilder.Uniform(5).Build() with { Rule = Rule(kind) };
        if (timeDomain) spec = spec with { Time = Hardware, Workers = Hardware.Workers };
        var direct = DirectEngine.Run(Replicate.Prepare(spec, 3), 0);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(spec, 3), 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(UpdateRuleTests.Bits(direct.FinalParameters[k]), UpdateRuleTests.Bits(actors.FinalParameters[k]));
        Assert.Equal(direct.Checkpoints, actors.Checkpoints);
        var plain = DirectEngine.Run(Replicate.Prepare(spec with { Rule = DelaySim.Model.Updates.UpdateRule.Plain }, 3), 0);
        Assert.NotEqual(UpdateRuleTests.Bits(plain.FinalParameters[0]), UpdateRuleTests.Bits(direct.FinalParameters[0]));
    }

    [Fact]
    public async Task A_replayed_staleness_trace_runs_bit_identically_in_both_engines()
    {
        var trace = new DelaySim.Model.StalenessDomain.TraceStaleness("t.csv", 0, [0, 4, 2, 7, 1, 3, 3, 0, 6], Repeat: true);
        var spec = SpecBuilder.Fixed(0).Build() with { Staleness = trace, Workers = trace.Max + 1 };
        var direct = DirectEngine.Run(Replicate.Prepare(spec, 3), 0);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(spec, 3), 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(UpdateRuleTests.Bits(direct.FinalParameters[k]), UpdateRuleTests.Bits(actors.FinalParameters[k]));
        Assert.Equal(direct.StalenessCounts, actors.StalenessCounts);
    }

    [Fact]
    public async Task Staleness_from_a_correlated_delay_model_runs_bit_identically_in_both_engines()
    {
        var model = new DelaySim.Model.StalenessDomain.ModelStaleness(new CopulaModel(new GammaDelay(2, 1.5), [0.7]), Cap: 12);
        var spec = SpecBuilder.Fixed(0).Build() with { Staleness = model, Workers = 13 };
        var direct = DirectEngine.Run(Replicate.Prepare(spec, 3), 0);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(spec, 3), 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(UpdateRuleTests.Bits(direct.FinalParameters[k]), UpdateRuleTests.Bits(actors.FinalParameters[k]));
        Assert.Equal(direct.StalenessCounts, actors.StalenessCounts);
    }
}

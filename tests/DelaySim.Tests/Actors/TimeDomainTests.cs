using Akka.TestKit.Xunit2;
using DelaySim.Actors;
using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Actors;

public class TimeDomainTests() : TestKit("akka.loglevel = WARNING")
{
    static Replicate With(TimeDomainSpec time, int iterations = 400, int twins = 2)
    {
        var baseSpec = (SpecBuilder.Fixed(0) with { Twins = twins }).Build();
        return Replicate.Prepare(baseSpec with { Time = time, Iterations = iterations, Workers = time.Workers, Twins = twins }, 21);
    }

    static TimeDomainSpec Hardware(ApplyPolicy policy, DataPlacement data) => new(4, policy, data,
        new StragglerModel(new CopulaModel(new GammaDelay(3, 0.003), [0.8]), 0.25, 3),
        new SharedComponentModel(RegimeModel.GilbertElliott(new ExponentialDelay(0.001), new ExponentialDelay(0.02), 0.05, 0.3),
            new IidModel(new ExponentialDelay(0.0005)), 2),
        new IidModel(new UniformDelay(0.0001, 0.0003)), "hardware");

    [Theory]
    [InlineData(ApplyPolicy.Each, DataPlacement.Shared)]
    [InlineData(ApplyPolicy.SumPerTick, DataPlacement.Sharded)]
    public async Task Actors_and_the_direct_event_loop_agree_to_the_bit(ApplyPolicy policy, DataPlacement data)
    {
        var replicate = With(Hardware(policy, data));
        var direct = DirectEngine.Run(replicate, 0);
        var actors = await ActorEngine.RunAsync(Sys, With(Hardware(policy, data)), 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(direct.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits), actors.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(direct.Checkpoints, actors.Checkpoints);
        Assert.Equal(direct.StalenessCounts, actors.StalenessCounts);
        Assert.Equal(direct.Workers!.Select(w => w.StalenessCounts), actors.Workers!.Select(w => w.StalenessCounts));
    }

    [Theory]
    [InlineData(ApplyPolicy.Each)]
    [InlineData(ApplyPolicy.SumPerTick)]
    public async Task Twins_with_independent_delays_agree_across_engines_keep_trajectory_0_and_differ_from_shared_delays(ApplyPolicy policy)
    {
        var shared = With(Hardware(policy, DataPlacement.Shared));
        var independent = Replicate.Prepare(shared.Spec with { IndependentTwinDelays = true }, shared.Seed);
        var direct = DirectEngine.Run(independent, 0);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(independent.Spec, independent.Seed), 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(direct.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits), actors.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(direct.Checkpoints, actors.Checkpoints);
        Assert.Equal(BitConverter.DoubleToInt64Bits(direct.StabilityLoss), BitConverter.DoubleToInt64Bits(actors.StabilityLoss));

        var coupled = DirectEngine.Run(shared, 0);
        // Trajectory 0 draws the same delays and samples either way: same bits, same staleness, same losses.
        Assert.Equal(coupled.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits), direct.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(coupled.StalenessCounts, direct.StalenessCounts);
        Assert.Equal(coupled.Checkpoints.Select(c => (c.Iteration, c.TrainLoss, c.TestLoss)), direct.Checkpoints.Select(c => (c.Iteration, c.TrainLoss, c.TestLoss)));
        // Twins now see other delays: their parameters move away from the coupled twins', so the twin distance grows.
        Assert.NotEqual(coupled.FinalParameters[1], direct.FinalParameters[1]);
        Assert.True(direct.Final.TwinL2 > coupled.Final.TwinL2, $"independent {direct.Final.TwinL2} vs coupled {coupled.Final.TwinL2}");
    }

    [Fact]
    public void With_deterministic_delays_independent_twins_are_the_coupled_twins()
    {
        // Constant compute and link times: every delay stream gives the same values, so only the split could differ.
        var time = new TimeDomainSpec(3, ApplyPolicy.Each, DataPlacement.Shared, new IidModel(new ConstantDelay(0.002)),
            new IidModel(new ConstantDelay(0.001)), new IidModel(new ConstantDelay(0.0005)), "constant");
        var shared = With(time);
        var independent = DirectEngine.Run(Replicate.Prepare(shared.Spec with { IndependentTwinDelays = true }, shared.Seed), 0);
        var coupled = DirectEngine.Run(shared, 0);
        for (var k = 0; k < coupled.FinalParameters.Length; k++)
            Assert.Equal(coupled.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits), independent.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(coupled.Checkpoints, independent.Checkpoints);
    }

    [Fact]
    public async Task The_paper_schedule_on_the_parameter_server_also_agrees()
    {
        var time = TimeDomainSpec.ParameterServer(TimeDomainSpec.RandomPeriods(16, 8, 4), "ps random d=8");
        var direct = DirectEngine.Run(With(time, iterations: 300), 0);
        var actors = await ActorEngine.RunAsync(Sys, With(time, iterations: 300), 0, TimeSpan.FromMinutes(1));
        Assert.Equal(direct.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits), actors.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(direct.Checkpoints, actors.Checkpoints);
    }

    [Fact]
    public async Task Counting_server_steps_with_empty_ones_the_engines_agree()
    {
        // d = 8 > M = 4: half the steps are empty; both engines must skip them alike.
        var time = TimeDomainSpec.ParameterServer([8, 8, 8, 8], "ps d=8 > M");
        var direct = DirectEngine.Run(With(time, iterations: 300), 0);
        var actors = await ActorEngine.RunAsync(Sys, With(time, iterations: 300), 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(direct.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits), actors.FinalParameters[k].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(direct.Checkpoints, actors.Checkpoints);
        Assert.Equal(300, direct.Final.Iteration);
    }

    [Theory]
    [InlineData(4, 4)]   // one worker per step: d − 1 = 3 updates between a worker's pull and its push
    [InlineData(16, 4)]  // four workers per step, summed: still 3 updates in between
    [InlineData(4, 8)]   // steps without a worker apply nothing: only the 3 other workers update in between
    [InlineData(16, 1)]  // d = 1 is plain (synchronous) SGD
    public void The_parameter_server_schedule_gives_the_arithmetic_staleness(int workers, int d)
    {
        var time = TimeDomainSpec.ParameterServer(Enumerable.Repeat(d, workers).ToArray(), "ps");
        var result = DirectEngine.Run(With(time, iterations: 200, twins: 0), 0);
        var perStep = Math.Max(1, workers / d);
        var expected = d == 1 ? 0 : Math.Min(d, workers / perStep) - 1;
        foreach (var w in result.Workers!)
        {
            // The first push of worker m comes at step m mod d, having pulled w_0: its staleness is the updates before it.
            var later = w.StalenessCounts.Select((c, s) => (c, s)).Where(p => p.c > 0 && p.s != expected).ToArray();
            Assert.True(later.Sum(p => p.c) <= 1, $"worker staleness counts {string.Join(",", w.StalenessCounts)}");
            Assert.True(w.StalenessCounts[expected] >= w.Updates - 1);
        }
    }

    [Fact]
    public void Simultaneous_arrivals_are_applied_in_worker_order()
    {
        // Constant compute, no latency: all M gradients arrive together every round and are applied one by one, each
        // sender getting the version its own update made. In round 1 worker m waits for the m updates before it; from
        // then on each worker pulled right after its own update and sees the M − 1 updates of the others: M − 1.
        const int workers = 5;
        var time = new TimeDomainSpec(workers, ApplyPolicy.Each, DataPlacement.Shared, new IidModel(new ConstantDelay(1)),
            new IidModel(new ConstantDelay(0)), new IidModel(new ConstantDelay(0)), "lockstep");
        var result = DirectEngine.Run(With(time, iterations: 100, twins: 0), 0);
        for (var m = 0; m < workers; m++)
        {
            var counts = result.Workers![m].StalenessCounts;
            Assert.Equal(result.Workers[m].Updates - (m == workers - 1 ? 0 : 1), counts[workers - 1]);
            if (m < workers - 1) Assert.Equal(1, counts[m]);
        }
    }

    [Fact]
    public void Random_parameter_server_delays_follow_the_papers_rule()
    {
        var d = TimeDomainSpec.RandomPeriods(16, 8, seed: 9);
        Assert.Equal(8, d[0]);
        Assert.Equal(1, d[1]);
        Assert.All(d, x => Assert.InRange(x, 1, 8));
        Assert.Equal(d, TimeDomainSpec.RandomPeriods(16, 8, seed: 9));
    }
}

using Akka.TestKit.Xunit2;
using DelaySim.Actors;
using DelaySim.Model.Engine;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Actors;

/// <summary>The oracle for every actor change: same replicate ⇒ the same bits from both engines.</summary>
public class EngineEquivalenceTests() : TestKit("akka.loglevel = WARNING")
{
    [Theory]
    [InlineData("fixed", 0, "uniform")]
    [InlineData("fixed", 1, "uniform")]
    [InlineData("fixed", 7, "uniform")]
    [InlineData("fixed", 7, "shuffle")]
    [InlineData("uniform", 5, "uniform")]
    [InlineData("uniform", 12, "shuffle")]
    public async Task Actor_engine_gives_bit_identical_parameters_and_measurements(string kind, int tau, string sampling)
    {
        var replicate = (SpecBuilder.Of(kind, tau) with { Sampling = Enum.Parse<Sampling>(sampling, ignoreCase: true) }).Replicate();
        var direct = DirectEngine.Run(replicate, 0);
        var actors = await ActorEngine.RunAsync(Sys, replicate, 0, TimeSpan.FromMinutes(1));

        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(BitsOf(direct.FinalParameters[k]), BitsOf(actors.FinalParameters[k]));
        Assert.Equal(direct.Checkpoints, actors.Checkpoints);
        Assert.Equal(direct.StalenessCounts, actors.StalenessCounts);
        Assert.Equal(BitConverter.DoubleToInt64Bits(direct.StabilityLoss), BitConverter.DoubleToInt64Bits(actors.StabilityLoss));
    }

    [Fact]
    public async Task Actor_engine_is_bit_identical_on_sparse_data()
    {
        var (_, sparse) = Model.SparseTests.Both(Model.SparseTests.RandomLibSvm(80, 40, 6));
        var replicate = Replicate.Prepare(Model.SparseTests.Spec(sparse), 9);
        var direct = DirectEngine.Run(replicate, 0);
        var actors = await ActorEngine.RunAsync(Sys, replicate, 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(BitsOf(direct.FinalParameters[k]), BitsOf(actors.FinalParameters[k]));
        Assert.Equal(direct.Checkpoints, actors.Checkpoints);
    }

    [Fact]
    public async Task The_number_of_workers_does_not_change_the_result()
    {
        var replicate = SpecBuilder.Uniform(6).Replicate();
        var one = await ActorEngine.RunAsync(Sys, Replicate.Prepare(replicate.Spec with { Workers = 1 }, replicate.Seed), 0, TimeSpan.FromMinutes(1));
        var many = await ActorEngine.RunAsync(Sys, Replicate.Prepare(replicate.Spec with { Workers = 5 }, replicate.Seed), 0, TimeSpan.FromMinutes(1));
        Assert.Equal(BitsOf(one.FinalParameters[0]), BitsOf(many.FinalParameters[0]));
    }

    [Theory]
    [InlineData("uniform", 6)]
    [InlineData("fixed", 3)]
    public async Task Twins_with_independent_delays_agree_across_engines_and_differ_from_shared_delays(string kind, int tau)
    {
        var shared = SpecBuilder.Of(kind, tau).Replicate();
        var spec = shared.Spec with { IndependentTwinDelays = true };
        var direct = DirectEngine.Run(Replicate.Prepare(spec, shared.Seed), 0);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(spec, shared.Seed), 0, TimeSpan.FromMinutes(1));
        for (var k = 0; k < direct.FinalParameters.Length; k++)
            Assert.Equal(BitsOf(direct.FinalParameters[k]), BitsOf(actors.FinalParameters[k]));
        var coupled = DirectEngine.Run(shared, 0);
        // Trajectory 0 keeps its own delays and samples either way; twins only change when delays are random.
        Assert.Equal(BitsOf(coupled.FinalParameters[0]), BitsOf(direct.FinalParameters[0]));
        if (kind == "fixed") Assert.Equal(BitsOf(coupled.FinalParameters[1]), BitsOf(direct.FinalParameters[1]));
        else Assert.NotEqual(BitsOf(coupled.FinalParameters[1]), BitsOf(direct.FinalParameters[1]));
    }

    [Fact]
    public async Task A_diverging_run_stops_at_the_same_checkpoint_in_both_engines()
    {
        var scenario = Scenarios.Parse(Scenarios.Small.Edit("eta = 0.05", "eta = 3").Edit("tau = [0, 3, 7]", "tau = [7]"));
        var spec = DelaySim.Host.Pipeline.CellPlan.Build(scenario)[0].Spec;
        var direct = DirectEngine.Run(Replicate.Prepare(spec, 3), 0);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(spec, 3), 0, TimeSpan.FromMinutes(1));
        Assert.True(direct.Diverged && actors.Diverged);
        Assert.Equal(direct.Checkpoints.Select(c => c.Iteration), actors.Checkpoints.Select(c => c.Iteration));
    }

    static long[] BitsOf(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}

using Akka.TestKit.Xunit2;
using DelaySim.Actors;
using DelaySim.Host.Pipeline;
using DelaySim.Model;
using DelaySim.Model.Engine;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

public class TimelineTests() : TestKit("akka.loglevel = WARNING")
{
    [Fact]
    public async Task A_scripted_delay_episode_takes_effect_at_exactly_its_steps_in_both_engines()
    {
        var scenario = Scenarios.Parse(Scenarios.Small.Edit("tau = [0, 3, 7]", "tau = [1]") +
            "\ntimeline = [{ from-step = 100, to-step = 150, tau = 6 }]");
        var spec = CellPlan.Build(scenario)[0].Spec;
        var direct = DirectEngine.Run(Replicate.Prepare(spec, 2), 0);
        // Steps 100..149 have staleness 6; step 0 has 0 (clamped); the other 249 steps have 1.
        Assert.Equal(50, direct.StalenessCounts[6]);
        Assert.Equal(1, direct.StalenessCounts[0]);
        Assert.Equal(249, direct.StalenessCounts[1]);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(spec, 2), 0, TimeSpan.FromMinutes(1));
        Assert.Equal(direct.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits), actors.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void An_eta_factor_of_zero_freezes_the_parameters_inside_its_window()
    {
        var text = Scenarios.Small.Edit("tau = [0, 3, 7]", "tau = [0]").Edit("checkpoint-every = 50", "checkpoint-every = 10");
        var frozen = CellPlan.Build(Scenarios.Parse(text + "\ntimeline = [{ from-step = 100, to-step = 200, eta-factor = 0 }]"))[0].Spec;
        var result = DirectEngine.Run(Replicate.Prepare(frozen, 3), 0);
        var at = result.Checkpoints.ToDictionary(c => c.Iteration);
        Assert.Equal(at[100].TrainLoss, at[200].TrainLoss);
        Assert.NotEqual(at[90].TrainLoss, at[100].TrainLoss);
        Assert.NotEqual(at[200].TrainLoss, at[210].TrainLoss);
    }

    [Fact]
    public async Task A_worker_that_fails_and_rejoins_applies_nothing_while_down_and_engines_agree()
    {
        var text = """
            name = failure
            seeds = 1
            problem.kind = least-squares
            data.synthetic { n = 64, n-test = 200, dimension = 8 }
            optimizer { eta = 0.05, iterations = 400 }
            simulation { domain = time, time { workers = 3, compute { distribution = constant, value = 1 }, uplink { distribution = constant, value = 0 } } }
            """;
        var healthy = CellPlan.Build(Scenarios.Parse(text))[0].Spec;
        var failing = CellPlan.Build(Scenarios.Parse(text + "\ntimeline = [{ from-time = 10, to-time = 60.5, worker = 1 }]"))[0].Spec;
        var a = DirectEngine.Run(Replicate.Prepare(healthy, 1), 0);
        var b = DirectEngine.Run(Replicate.Prepare(failing, 1), 0);
        // Every worker pushes once per time unit. Worker 1 is down for t in [10, 60.5): its 51 gradients arriving at
        // t = 10…60 are lost, and it restarts from a snapshot sent at 60.5. So it ends about 51 updates behind worker 0.
        Assert.InRange(a.Workers![0].Updates - a.Workers[1].Updates, 0, 1);
        Assert.InRange(b.Workers![0].Updates - b.Workers[1].Updates, 50, 52);
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(failing, 1), 0, TimeSpan.FromMinutes(1));
        Assert.Equal(b.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits), actors.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData("timeline = [{ from-step = 10, to-step = 5, tau = 3 }]", "timeline[0]: to-step: 5 must be after from-step = 10")]
    [InlineData("timeline = [{ from-step = 10, to-step = 20 }]", "timeline[0]: : needs exactly one of")]
    [InlineData("timeline = [{ from-time = 1, to-time = 2, worker = 0 }]", "timeline[0]: worker: needs the time or parameter-server domain")]
    [InlineData("timeline = [{ from-step = 1, to-step = 2, tau = 3, colour = red }]", "timeline[0]: colour: unknown key")]
    public void Bad_timeline_entries_are_named(string line, string message) =>
        Assert.Contains(message, Assert.Throws<BadInputException>(() => Scenarios.Parse(Scenarios.Small + "\n" + line)).Message);
}

using Akka.TestKit.Xunit2;
using DelaySim.Actors;
using DelaySim.Host.Pipeline;
using DelaySim.Model;
using DelaySim.Model.Engine;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>
/// <c>bounded-staleness</c> with <c>policy = wait</c> (stale-synchronous parallel, time domain): no worker runs more than
/// <c>max</c> gradients ahead of the slowest, nothing is dropped, and both engines agree to the bit.
/// </summary>
public class StaleSynchronousTests() : TestKit("akka.loglevel = WARNING")
{
    const string Time = """
        simulation { domain = time, time {
          workers = 6
          compute { distribution = exponential, mean = 0.01, stragglers { fraction = 0.34, factor = 5 } }
          uplink { distribution = constant, value = 0.001 }, downlink { distribution = constant, value = 0.001 } } }
        """;

    static CellSpec Spec(string policy) => CellPlan.Build(Scenarios.Parse(
        Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }", Time) +
        $"\noptimizer.rule {{ kind = bounded-staleness, max = 2, policy = {policy} }}"))[0].Spec;

    [Fact]
    public async Task Workers_wait_for_the_slowest_instead_of_dropping_and_engines_agree()
    {
        var wait = DirectEngine.Run(Replicate.Prepare(Spec("wait"), 4), 0);
        var counts = wait.Workers!.Select(w => w.Updates).ToArray();
        // Each worker's clock is its gradients sent; the budget may end mid-round, so the spread is at most max + 1.
        Assert.True(counts.Max() - counts.Min() <= 3, $"updates per worker {string.Join(", ", counts)}");
        var drop = DirectEngine.Run(Replicate.Prepare(Spec("drop"), 4), 0);
        var dropCounts = drop.Workers!.Select(w => w.Updates).ToArray();
        Assert.True(dropCounts.Max() - dropCounts.Min() > 3 * 10, $"without waiting the stragglers fall behind: {string.Join(", ", dropCounts)}");
        var actors = await ActorEngine.RunAsync(Sys, Replicate.Prepare(Spec("wait"), 4), 0, TimeSpan.FromMinutes(1));
        Assert.Equal(wait.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits), actors.FinalParameters[0].Select(BitConverter.DoubleToInt64Bits));
    }
}

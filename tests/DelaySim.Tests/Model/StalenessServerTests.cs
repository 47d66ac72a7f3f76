using DelaySim.Model.StalenessDomain;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>The staleness domain's pure server, driven by hand as an engine would drive it.</summary>
public class StalenessServerTests
{
    [Fact]
    public void With_fixed_tau_2_each_new_version_releases_the_step_two_ahead_and_steps_are_applied_in_order()
    {
        // v_t = max(0, t − 2): version 0 serves steps 0, 1, 2; version s ≥ 1 serves step s + 2 (while it exists).
        var replicate = (SpecBuilder.Fixed(2) with { Iterations = 6, Twins = 0 }).Replicate();
        var server = new StalenessServer(replicate);
        var gradients = new[] { new double[replicate.Problem.ParameterCount] };
        var begun = server.Begin().ToArray();
        var released = new List<long[]> { begun.Select(w => w.Step).ToArray() };
        var pending = new Queue<StepWork>(begun);
        Assert.Equal([0L, 1, 2], released[0]);
        Assert.All(pending, w => Assert.Equal(0, w.Version));
        while (!server.Finished)
        {
            var next = pending.Dequeue();
            next.Compute(replicate, gradients);
            var due = server.Apply(next, gradients).ToArray();
            released.Add(due.Select(w => w.Step).ToArray());
            foreach (var w in due)
            {
                Assert.Equal(w.Step - 2, w.Version);
                pending.Enqueue(w);
            }
        }
        Assert.Equal([[0L, 1, 2], [3], [4], [5], [], [], []], released);
        Assert.Equal(6, server.Version);
        Assert.Equal([1L, 1, 4], server.StalenessCounts); // step 0 has staleness 0, step 1 has 1, steps 2..5 have 2
    }

    [Fact]
    public void A_gradient_for_the_wrong_step_is_refused()
    {
        var replicate = SpecBuilder.Fixed(2).Replicate();
        var server = new StalenessServer(replicate);
        var work = server.Begin()[1];
        var gradients = replicate.TrainSets.Select(_ => new double[replicate.Problem.ParameterCount]).ToArray();
        Assert.Contains("step [1] arrived while step [0] is due", Assert.Throws<InvalidOperationException>(() => server.Apply(work, gradients)).Message);
    }
}

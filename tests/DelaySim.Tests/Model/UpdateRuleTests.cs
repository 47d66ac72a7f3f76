using DelaySim.Model.Engine;
using DelaySim.Model.Problems;
using DelaySim.Model.StalenessDomain;
using DelaySim.Model.Updates;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>The update-rule plug-in point: a rule is one type, the servers call it with the right step, η_t and τ_t.</summary>
public class UpdateRuleTests
{
    /// <summary>w ← w − (η_t / 2) g: the same bits as the plain rule at half the step size (halving a double is exact).</summary>
    internal sealed record HalfStep : UpdateRule
    {
        public override string Label => "half-step";

        public override IUpdater Start(int dimension) => new Updater();

        sealed class Updater : IUpdater
        {
            public bool Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
            {
                Kernels.AddScaled(w, -(context.Eta * 0.5), gradient);
                return true;
            }
        }
    }

    /// <summary>The plain rule, recording every context it is called with, per trajectory (in the order they start).</summary>
    sealed record Recording : UpdateRule
    {
        public List<List<UpdateContext>> ByTrajectory { get; } = [];

        public List<UpdateContext> Seen => ByTrajectory[0];

        public override string Label => "recording";

        public override IUpdater Start(int dimension)
        {
            var seen = new List<UpdateContext>();
            ByTrajectory.Add(seen);
            return new Updater(seen);
        }

        sealed class Updater(List<UpdateContext> seen) : IUpdater
        {
            public bool Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
            {
                seen.Add(context);
                Kernels.AddScaled(w, -context.Eta, gradient);
                return true;
            }
        }
    }

    [Fact]
    public void A_new_rule_is_one_type_and_changes_the_run_exactly_as_its_arithmetic_says()
    {
        var builder = SpecBuilder.Fixed(3);
        var half = DirectEngine.Run(Replicate.Prepare(builder.Build() with { Rule = new HalfStep() }, 5), 0);
        var plainAtHalfEta = DirectEngine.Run((builder with { Eta = builder.Eta / 2 }).Replicate(), 0);
        var plain = DirectEngine.Run(builder.Replicate(), 0);
        Assert.Equal(Bits(plainAtHalfEta.FinalParameters[0]), Bits(half.FinalParameters[0]));
        Assert.NotEqual(Bits(plain.FinalParameters[0]), Bits(half.FinalParameters[0]));
    }

    [Fact]
    public void The_staleness_server_calls_the_rule_once_per_step_in_order_with_eta_t_and_tau_t()
    {
        var rule = new Recording();
        var spec = SpecBuilder.Uniform(6).Build() with { Rule = rule, DecaySteps = 50 };
        var result = DirectEngine.Run(Replicate.Prepare(spec, 5), 0);
        Assert.Equal(Enumerable.Range(0, spec.Iterations).Select(t => (long)t), rule.Seen.Select(c => c.Step));
        Assert.All(rule.Seen, c => Assert.Equal(spec.EtaAt(c.Step), c.Eta));
        // The staleness each update was told about is the staleness the run counted.
        var counted = new long[result.StalenessCounts.Length];
        foreach (var c in rule.Seen) counted[c.Staleness]++;
        Assert.Equal(result.StalenessCounts, counted);
        var plain = DirectEngine.Run(Replicate.Prepare(spec with { Rule = UpdateRule.Plain }, 5), 0);
        Assert.Equal(Bits(plain.FinalParameters[0]), Bits(result.FinalParameters[0]));
    }

    [Fact]
    public void With_independent_twin_delays_each_trajectory_is_told_its_own_staleness()
    {
        var rule = new Recording();
        var spec = (SpecBuilder.Uniform(6) with { Twins = 2 }).Build() with { Rule = rule, IndependentTwinDelays = true };
        DirectEngine.Run(Replicate.Prepare(spec, 5), 0);
        Assert.Equal(3, rule.ByTrajectory.Count);
        var tau = rule.ByTrajectory.Select(seen => seen.Select(c => c.Staleness).ToArray()).ToArray();
        // Twin k's τ_t come from its own stream "delay/twin/k": the planner that draws them says what they must be.
        for (var k = 1; k < 3; k++)
        {
            var planner = new StepPlanner(spec.Staleness, 40, spec.Batch, spec.Sampling, 5, spec.Timeline, $"delay/twin/{k}");
            var batch = new int[spec.Batch];
            var expected = Enumerable.Range(0, spec.Iterations).Select(t => t - planner.Next(batch)).ToArray();
            Assert.Equal(expected, tau[k]);
            Assert.NotEqual(tau[0], tau[k]);
        }
    }

    internal static long[] Bits(double[] w) => w.Select(BitConverter.DoubleToInt64Bits).ToArray();
}

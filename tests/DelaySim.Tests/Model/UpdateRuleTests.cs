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
            public void Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context) => Kernels.AddScaled(w, -(context.Eta * 0.5), gradient);
        }
    }

    /// <summary>The plain rule, recording every context it is called with for trajectory 0.</summary>
    sealed record Recording : UpdateRule
    {
        public List<UpdateContext> Seen { get; } = [];
        int _started;

        public override string Label => "recording";

        public override IUpdater Start(int dimension) => new Updater(_started++ == 0 ? Seen : null);

        sealed class Updater(List<UpdateContext>? seen) : IUpdater
        {
            public void Apply(Span<double> w, ReadOnlySpan<double> gradient, in UpdateContext context)
            {
                seen?.Add(context);
                Kernels.AddScaled(w, -context.Eta, gradient);
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

    internal static long[] Bits(double[] w) => w.Select(BitConverter.DoubleToInt64Bits).ToArray();
}

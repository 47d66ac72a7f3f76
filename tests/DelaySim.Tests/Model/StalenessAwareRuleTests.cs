using DelaySim.Model.Updates;

namespace DelaySim.Tests.Model;

/// <summary>Each rule's arithmetic on a few steps written out by hand (w and g in one or two dimensions).</summary>
public class StalenessAwareRuleTests
{
    static double[] Step(IUpdater updater, double[] w, double[] g, long step, double eta, long tau)
    {
        updater.Apply(w, g, new UpdateContext(step, eta, tau));
        return w;
    }

    [Fact]
    public void Delay_adaptive_takes_the_full_step_up_to_S_and_shrinks_it_by_S_over_tau_beyond()
    {
        var u = new DelayAdaptiveUpdate(Scale: 4).Start(1);
        var w = new[] { 1.0 };
        Assert.Equal(0.9, Step(u, w, [1], 0, 0.1, tau: 3)[0], 15);   // τ ≤ S: 1 − 0.1·1
        Assert.Equal(0.88, Step(u, w, [1], 1, 0.1, tau: 20)[0], 15); // τ = 20: step 0.1·4/20 = 0.02
        Assert.Equal(0.78, Step(u, w, [1], 2, 0.1, tau: 4)[0], 15);  // τ = S: full step again
    }

    [Theory]
    [InlineData(StalenessWeight.Inverse, 0, 0, 0, 1.0)]
    [InlineData(StalenessWeight.Inverse, 0, 0, 4, 0.25)]
    [InlineData(StalenessWeight.Polynomial, 0.5, 0, 3, 0.5)]     // (1 + 3)^(−1/2)
    [InlineData(StalenessWeight.Polynomial, 2, 0, 0, 1.0)]
    [InlineData(StalenessWeight.Hinge, 0.5, 4, 4, 1.0)]          // τ ≤ b
    [InlineData(StalenessWeight.Hinge, 0.5, 4, 10, 0.25)]        // 1 / (0.5·6 + 1)
    public void Staleness_weights_are_the_published_functions(StalenessWeight weight, double a, double b, long tau, double expected)
    {
        var rule = new StalenessWeightedUpdate(weight, a, b);
        Assert.Equal(expected, rule.StepFactor(tau), 15);
        var w = new[] { 2.0, -1.0 };
        Step(rule.Start(2), w, [1, 2], 0, 0.1, tau);
        Assert.Equal(2 - 0.1 * expected, w[0], 15);
        Assert.Equal(-1 - 0.2 * expected, w[1], 15);
    }

    [Fact]
    public void Momentum_accumulates_the_applied_gradients_with_factor_beta()
    {
        // v1 = g1 = 1, w1 = 1 − 0.1 = 0.9; v2 = 0.5 + 2 = 2.5, w2 = 0.9 − 0.25 = 0.65; v3 = 1.25 + 0 = 1.25, w3 = 0.525.
        var u = new MomentumUpdate(Beta: 0.5).Start(1);
        var w = new[] { 1.0 };
        Assert.Equal(0.9, Step(u, w, [1], 0, 0.1, 0)[0], 15);
        Assert.Equal(0.65, Step(u, w, [2], 1, 0.1, 7)[0], 15);
        Assert.Equal(0.525, Step(u, w, [0], 2, 0.1, 2)[0], 15);
    }

    [Fact]
    public void Each_trajectory_gets_its_own_momentum()
    {
        var rule = new MomentumUpdate(0.9);
        var (a, b) = (rule.Start(1), rule.Start(1));
        var wa = new[] { 0.0 };
        Step(a, wa, [1], 0, 1, 0);
        Step(a, wa, [1], 1, 1, 0);
        var wb = new[] { 0.0 };
        Step(b, wb, [1], 0, 1, 0);
        Assert.Equal(-2.9, wa[0], 15);
        Assert.Equal(-1.0, wb[0], 15);
    }

    [Fact]
    public void Delay_compensation_adds_lambda_g_g_times_the_parameter_drift_then_steps()
    {
        // g̃ = g + λ g² (w_t − w_{t−τ}) per coordinate: [2 + 0.1·4·0.5, −1 + 0.1·1·(−2)] = [2.2, −1.2]; w − 0.1 g̃.
        var u = new DelayCompensatedUpdate(Lambda: 0.1).Start(2);
        double[] g = [2, -1];
        double[] w = [1, 3];
        u.Adjust(g, w, [0.5, 5]);
        Assert.Equal(2.2, g[0], 15);
        Assert.Equal(-1.2, g[1], 15);
        Step(u, w, g, 0, 0.1, 4);
        Assert.Equal(0.78, w[0], 15);
        Assert.Equal(3.12, w[1], 15);
        // Fresh gradients (w_t = w_{t−τ}) are not changed.
        double[] fresh = [2, -1];
        u.Adjust(fresh, w, w);
        Assert.Equal([2.0, -1.0], fresh);
    }

    [Fact]
    public void Bounded_staleness_applies_up_to_max_and_leaves_w_unchanged_beyond()
    {
        var u = new BoundedStalenessUpdate(Max: 2).Start(1);
        Assert.True(u.Accepts(new UpdateContext(0, 0.1, 2)));
        Assert.False(u.Accepts(new UpdateContext(0, 0.1, 3)));
        var w = new[] { 1.0 };
        Assert.Equal(0.9, Step(u, w, [1], 0, 0.1, tau: 2)[0], 15);
        Assert.Equal(0.9, Step(u, w, [1], 1, 0.1, tau: 3)[0], 15);
    }

    [Fact]
    public void Plain_accepts_everything_and_adjusts_nothing()
    {
        var u = UpdateRule.Plain.Start(2);
        Assert.True(u.Accepts(new UpdateContext(0, 0.1, 1_000_000)));
        double[] g = [1, 2];
        u.Adjust(g, [5, 5], [0, 0]);
        Assert.Equal([1.0, 2.0], g);
    }

    [Fact]
    public void Buffered_holds_K_minus_1_gradients_then_applies_their_mean_or_sum()
    {
        var mean = new BufferedUpdate(Size: 2, Mean: true).Start(1);
        var w = new[] { 1.0 };
        Assert.False(mean.Apply(w, [1.0], new UpdateContext(0, 0.1, 0)));
        Assert.Equal(1.0, w[0]);
        Assert.True(mean.Apply(w, [3.0], new UpdateContext(1, 0.1, 0)));
        Assert.Equal(0.8, w[0], 15);                                    // 1 − (0.1 / 2)·(1 + 3)
        Assert.False(mean.Apply(w, [5.0], new UpdateContext(2, 0.1, 0))); // the buffer starts afresh

        var sum = new BufferedUpdate(2, Mean: false).Start(1);
        var v = new[] { 1.0 };
        sum.Apply(v, [1.0], new UpdateContext(0, 0.1, 0));
        sum.Apply(v, [3.0], new UpdateContext(1, 0.1, 0));
        Assert.Equal(0.6, v[0], 15);                                    // 1 − 0.1·(1 + 3)
    }

    [Fact]
    public void Buffered_with_a_staleness_weight_weighs_each_gradient_by_its_own_staleness()
    {
        // s = 1/max(1, τ): 0.5·1 (τ = 2) + 1·3 (τ = 1) = 3.5; w = 1 − (0.1 / 2)·3.5.
        var u = new BufferedUpdate(2, true, new StalenessWeightedUpdate(StalenessWeight.Inverse, 0, 0)).Start(1);
        var w = new[] { 1.0 };
        u.Apply(w, [1.0], new UpdateContext(0, 0.1, 2));
        u.Apply(w, [3.0], new UpdateContext(1, 0.1, 1));
        Assert.Equal(0.825, w[0], 15);
    }
}

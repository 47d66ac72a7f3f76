using System.Globalization;
using System.Text.RegularExpressions;

namespace DelaySim.Model.Delays;

/// <summary>
/// A NetEm-style one-line spec, parsed into the equivalent model, for people who know <c>tc qdisc … netem</c>:
/// <c>[delay] TIME [JITTER [CORRELATION%]] [distribution uniform|normal|pareto|paretonormal] [loss P% [timeout TIME]]
/// [reorder P%]</c>. Times take us, ms or s (default ms). Differences from NetEm, on purpose:
/// <list type="bullet">
/// <item>Without a distribution, jitter is uniform on [μ − σ, μ + σ] (what the kernel's tabledist does without a table).
/// normal is N(μ, σ²) truncated at 0; pareto is a shifted Pareto with α = 3 and the same mean and sd; paretonormal
/// is the ¼ pareto + ¾ normal mixture of iproute2's table.</item>
/// <item>CORRELATION is a Gaussian-copula AR(1) coefficient, which keeps the marginal; NetEm blends each new uniform with
/// the previous one, which narrows the distribution and only approximates the stated correlation.</item>
/// <item>loss retransmits after a timeout (default 200 ms) instead of dropping: a gradient always arrives, later.</item>
/// <item>reorder P% sends that share of messages with no delay; rate, slot, duplicate and corrupt are not modelled.</item>
/// </list>
/// </summary>
public static partial class NetEm
{
    public const double DefaultLossTimeout = 0.2;

    public static DelayModel Parse(string spec)
    {
        var tokens = spec.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        var i = 0;
        string Fail(string what) => throw new ArgumentException($"netem spec '{spec}': {what}");
        if (i < tokens.Count && tokens[i] == "delay") i++;
        if (i >= tokens.Count || !TryTime(tokens[i], out var mean)) Fail($"expected a delay time such as '20ms' first (at most {Delays.Marginal.MaxTypicalDelay:G} s)");
        i++;
        double? jitter = null, correlation = null, loss = null, reorder = null;
        var lossTimeout = DefaultLossTimeout;
        var distribution = "uniform";
        if (i < tokens.Count && TryTime(tokens[i], out var j)) { jitter = j; i++; }
        if (jitter is not null && i < tokens.Count && TryPercent(tokens[i], out var c)) { correlation = c; i++; }
        while (i < tokens.Count)
        {
            var keyword = tokens[i++];
            string Value() => i < tokens.Count ? tokens[i++] : Fail($"'{keyword}' needs a value");
            switch (keyword)
            {
                case "distribution":
                    distribution = Value();
                    if (distribution is not ("uniform" or "normal" or "pareto" or "paretonormal"))
                        Fail($"unknown distribution '{distribution}' (expected uniform, normal, pareto or paretonormal)");
                    break;
                case "loss":
                    var l = Value();
                    if (l == "random") l = Value();
                    if (!TryPercent(l, out var lp) || lp >= 1) Fail($"loss '{l}' is not a percentage below 100%");
                    loss = lp;
                    break;
                case "timeout":
                    if (!TryTime(Value(), out lossTimeout)) Fail("timeout needs a time such as '200ms'");
                    break;
                case "reorder":
                    if (!TryPercent(Value(), out var r) || r >= 1) Fail("reorder needs a percentage below 100%");
                    reorder = r;
                    break;
                default:
                    Fail($"'{keyword}' is not supported (supported: delay, distribution, loss, timeout, reorder)");
                    break;
            }
        }
        if (jitter is null && distribution != "uniform") Fail("a distribution needs a jitter (e.g. '20ms 5ms distribution pareto')");
        if (correlation is >= 1) Fail("correlation must be below 100%");

        var marginal = Marginal(mean, jitter ?? 0, distribution);
        DelayModel model = correlation is > 0 ? new CopulaModel(marginal, [correlation.Value]) : new IidModel(marginal);
        if (reorder is > 0) model = new ReorderModel(model, reorder.Value);
        if (loss is > 0) model = new LossModel(model, loss.Value, lossTimeout);
        return model;
    }

    static Marginal Marginal(double mean, double jitter, string distribution)
    {
        if (jitter == 0) return new ConstantDelay(mean);
        return distribution switch
        {
            "uniform" => new UniformDelay(Math.Max(0, mean - jitter), mean + jitter),
            "normal" => new TruncatedNormalDelay(mean, jitter),
            "pareto" => Pareto(mean, jitter),
            _ => new MixtureDelay([(0.25, Pareto(mean, jitter)), (0.75, new TruncatedNormalDelay(mean, jitter))]),
        };
    }

    /// <summary>Shifted Pareto with α = 3, mean μ and sd σ: x_m = 2σ/√3, shift = μ − √3σ.</summary>
    static ParetoDelay Pareto(double mean, double sd) => new(3, 2 * sd / Math.Sqrt(3), mean - Math.Sqrt(3) * sd);

    static bool TryTime(string token, out double seconds)
    {
        seconds = 0;
        var match = TimePattern().Match(token);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            return false;
        seconds = value * match.Groups[2].Value switch { "us" or "usec" => 1e-6, "s" or "sec" => 1, _ => 1e-3 };
        return seconds <= Delays.Marginal.MaxTypicalDelay; // 1e400ms is infinite; anything above the limit could never be waited out
    }

    static bool TryPercent(string token, out double fraction)
    {
        fraction = 0;
        if (!token.EndsWith('%') || !double.TryParse(token[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p < 0) return false;
        fraction = p / 100;
        return true;
    }

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(us|usec|ms|msec|s|sec)?$")]
    private static partial Regex TimePattern();
}

/// <summary>With probability <paramref name="Probability"/> a message goes out at once (delay 0), overtaking the others.</summary>
internal sealed record ReorderModel(DelayModel Inner, double Probability) : DelayModel
{
    public override string Label => $"{Inner.Label}; {Probability:P0} sent at once";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers) =>
        Inner.Open(seed, name, workers)
            .Select((s, m) => (IDelayStream)new Stream(s, Probability, Randomness.Streams.For(seed, $"{name}/{m}/reorder"))).ToArray();

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers)
    {
        var inner = Inner.Declared(seed, worker, workers);
        var q = 1 - Probability;
        var second = q * (inner.Sd * inner.Sd + inner.Mean * inner.Mean);
        var variance = second - q * q * inner.Mean * inner.Mean;
        // Independent masks: Cov(B_m X_m, B_m' X_m') = q² Cov(X_m, X_m').
        return inner with
        {
            Mean = q * inner.Mean,
            Sd = Math.Sqrt(variance),
            CrossCorrelation = inner.CrossCorrelation * q * q * inner.Sd * inner.Sd / variance,
            P50 = double.NaN, P95 = double.NaN, P99 = double.NaN, Acf = DeclaredStatistics.Unknown,
            Cdf = inner.Cdf is { } f ? x => x < 0 ? 0 : Probability + q * f(x) : null,
        };
    }

    sealed class Stream(IDelayStream inner, double p, Randomness.Rng rng) : IDelayStream
    {
        public double Next(double now)
        {
            var delay = inner.Next(now); // drawn either way, so correlation in the inner stream is not broken up
            return rng.NextUnit() < p ? 0 : delay;
        }
    }
}

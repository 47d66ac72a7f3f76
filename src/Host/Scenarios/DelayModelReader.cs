using DelaySim.Model;
using DelaySim.Model.Delays;

namespace DelaySim.Host.Scenarios;

/// <summary>
/// Reads a delay model from a HOCON block. Exactly one base (<c>distribution</c>, <c>netem</c>, <c>regimes</c> or
/// <c>trace</c>), then optional layers: <c>correlation</c> (copula AR(p)) or <c>factor</c> (cross-worker copula),
/// <c>shared</c> (a per-group component), <c>stragglers</c>, <c>pauses</c>, <c>drift</c>, <c>loss</c>, and
/// <c>workers { 3 { … } }</c> (a whole model for one worker instead of this one). See README.
/// </summary>
internal static class DelayModelReader
{
    public static readonly string[] Distributions =
        ["constant", "uniform", "normal", "exponential", "gamma", "lognormal", "weibull", "pareto", "geometric", "poisson", "empirical"];

    /// <summary>
    /// <c>trace { file, format = long | wide, worker, step, value, scale, offset, resample }</c>: a measured table as
    /// published (see <see cref="TraceTable"/>); errors name the file and line, or the key.
    /// </summary>
    static TraceModel ReadTable(StrictConfig c, string path, string baseDirectory)
    {
        var format = c.GetEnum<TraceFormat>($"{path}.format");
        var table = new TraceTable(format,
            WorkerColumn: format == TraceFormat.Long ? c.GetString($"{path}.worker", "worker") : "worker",
            StepColumn: format == TraceFormat.Long ? c.GetString($"{path}.step", "step") : "step",
            ValueColumn: format == TraceFormat.Long ? c.GetString($"{path}.value") : null,
            Scale: c.GetDouble($"{path}.scale", 1, min: 0, minExclusive: true),
            Offset: c.GetDouble($"{path}.offset", 0),
            Resample: c.GetInt($"{path}.resample", 1, min: 1, max: 1_000_000));
        return table.Read(Path.GetFullPath(c.GetExistingFile($"{path}.file", baseDirectory), baseDirectory));
    }

    public static DelayModel Read(StrictConfig c, string path, string baseDirectory)
    {
        var bases = new[] { "distribution", "netem", "regimes", "trace" }.Where(k => c.Has($"{path}.{k}")).ToArray();
        if (bases.Length != 1)
            throw c.Error(path, $"needs exactly one of 'distribution', 'netem', 'regimes', 'trace' (found {(bases.Length == 0 ? "none" : string.Join(", ", bases))})");
        DelayModel model = bases[0] switch
        {
            "netem" => Guard(c, $"{path}.netem", () => NetEm.Parse(c.GetString($"{path}.netem"))),
            "regimes" => ReadRegimes(c, $"{path}.regimes"),
            "trace" => c.IsBlock($"{path}.trace") ? ReadTable(c, $"{path}.trace", baseDirectory) : TraceModel.Read(Path.GetFullPath(c.GetExistingFile($"{path}.trace", baseDirectory), baseDirectory)),
            _ => ReadMarginalModel(c, path),
        };
        if (c.Has($"{path}.shared"))
        {
            // Shared values are aligned by message index, so they cannot depend on the send time.
            foreach (var timed in new[] { "pauses", "drift", "trace", "shared" }.Where(k => c.Has($"{path}.shared.{k}")))
                throw c.Error($"{path}.shared.{timed}", "is not supported inside 'shared' (a shared component is aligned by message index, not by time)");
            var groupSize = c.GetInt($"{path}.shared.group-size", min: 1);
            model = new SharedComponentModel(model, Read(c, $"{path}.shared", baseDirectory), groupSize);
        }
        if (c.Has($"{path}.stragglers"))
            model = new StragglerModel(model, c.GetDouble($"{path}.stragglers.fraction", min: 0, max: 1), c.GetDouble($"{path}.stragglers.factor", min: 0, minExclusive: true));
        if (c.Has($"{path}.pauses"))
        {
            var period = c.GetSeconds($"{path}.pauses.period", min: 0, minExclusive: true);
            var duration = c.GetSeconds($"{path}.pauses.duration", min: 0);
            if (duration >= period) throw c.Error($"{path}.pauses.duration", $"{duration} must be shorter than the period {period}");
            model = new PauseModel(model, period, duration);
        }
        if (c.Has($"{path}.drift"))
            model = new DriftModel(model, c.GetDouble($"{path}.drift.amplitude", min: 0, max: 0.999), c.GetSeconds($"{path}.drift.period", min: 0, minExclusive: true));
        if (c.Has($"{path}.loss"))
            model = new LossModel(model, c.GetDouble($"{path}.loss.probability", min: 0, max: 0.999), c.GetSeconds($"{path}.loss.timeout", NetEm.DefaultLossTimeout, min: 0));
        if (c.Has($"{path}.workers"))
        {
            var overrides = new Dictionary<int, DelayModel>();
            foreach (var key in c.ChildKeys($"{path}.workers"))
            {
                if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m))
                    throw c.Error($"{path}.workers.{key}", "worker overrides are keyed by worker index (0, 1, …)");
                overrides[m] = Read(c, $"{path}.workers.{key}", baseDirectory);
            }
            model = new PerWorkerModel(model, overrides);
        }
        return model;
    }

    static DelayModel ReadMarginalModel(StrictConfig c, string path)
    {
        var marginal = ReadMarginal(c, path);
        if (c.Has($"{path}.correlation") && c.Has($"{path}.factor"))
            throw c.Error(path, "give 'correlation' (one stream in time) or 'factor' (across workers, with its own 'ar'), not both");
        if (c.Has($"{path}.correlation"))
        {
            var ar = c.GetDoubleList($"{path}.correlation.ar");
            return Guard(c, $"{path}.correlation.ar", () => new CopulaModel(marginal, ar));
        }
        if (c.Has($"{path}.factor"))
        {
            var rho = c.GetDouble($"{path}.factor.correlation", min: 0, max: 0.999999);
            var phi = c.GetDouble($"{path}.factor.ar", 0, min: -0.999999, max: 0.999999);
            return new FactorModel(marginal, rho, phi);
        }
        return new IidModel(marginal);
    }

    /// <summary>A marginal distribution from the keys of the block at <paramref name="path"/>.</summary>
    public static Marginal ReadMarginal(StrictConfig c, string path)
    {
        var kind = c.GetString($"{path}.distribution", allowed: Distributions);
        double Positive(string key) => c.GetDouble($"{path}.{key}", min: 0, minExclusive: true);
        // Times (not shapes or probabilities) may carry a unit: mean = 10ms.
        double PositiveTime(string key) => c.GetSeconds($"{path}.{key}", min: 0, minExclusive: true);
        double Time(string key, double? fallback = null) => c.GetSeconds($"{path}.{key}", fallback, min: 0);
        return Guard(c, path, () => Bounded(kind switch
        {
            "constant" => new ConstantDelay(Time("value")),
            "uniform" => (Marginal)new UniformDelay(Time("low"), Time("high")),
            "normal" => new TruncatedNormalDelay(c.GetSeconds($"{path}.mean"), PositiveTime("sd")),
            "exponential" => new ExponentialDelay(PositiveTime("mean")),
            "gamma" => new GammaDelay(Positive("shape"), PositiveTime("scale")),
            "lognormal" => new LogNormalDelay(c.GetDouble($"{path}.mu"), Positive("sigma")),
            "weibull" => new WeibullDelay(Positive("shape"), PositiveTime("scale")),
            "pareto" => new ParetoDelay(Positive("shape"), PositiveTime("scale"), c.GetSeconds($"{path}.shift", 0)),
            "geometric" => new GeometricDelay(c.GetDouble($"{path}.p", min: 0, max: 1, minExclusive: true)),
            "poisson" => new PoissonDelay(Positive("mean")),
            _ => new EmpiricalDelay(c.GetDoubleList($"{path}.values"), c.Has($"{path}.probabilities") ? c.GetDoubleList($"{path}.probabilities") : null),
        }));

        static Marginal Bounded(Marginal marginal)
        {
            marginal.RequireTypicalDelayWithinLimit();
            return marginal;
        }
    }

    static RegimeModel ReadRegimes(StrictConfig c, string path)
    {
        if (c.Has($"{path}.gilbert-elliott"))
        {
            var ge = $"{path}.gilbert-elliott";
            return Guard(c, ge, () => RegimeModel.GilbertElliott(ReadMarginal(c, $"{ge}.good"), ReadMarginal(c, $"{ge}.bad"),
                c.GetDouble($"{ge}.p", min: 0, max: 1), c.GetDouble($"{ge}.r", min: 0, max: 1)));
        }
        var names = c.ChildKeys($"{path}.states");
        var states = names.Select(n => new Regime(n, ReadMarginal(c, $"{path}.states.{n}"))).ToArray();
        var matrix = new double[names.Count, names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var row = c.GetDoubleList($"{path}.transitions.{names[i]}");
            if (row.Length != names.Count)
                throw c.Error($"{path}.transitions.{names[i]}", $"needs {names.Count} probabilities, one per state in the order {string.Join(", ", names)}");
            for (var j = 0; j < row.Length; j++) matrix[i, j] = row[j];
        }
        return Guard(c, $"{path}.transitions", () => new RegimeModel(states, matrix));
    }

    /// <summary>Turns a model's own parameter check into an error that names the key.</summary>
    static T Guard<T>(StrictConfig c, string path, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw c.Error(path, e.Message);
        }
    }
}

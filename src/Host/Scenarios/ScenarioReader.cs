using Akka.Configuration;
using DelaySim.Model;
using DelaySim.Model.Problems;
using DelaySim.Model.Data;
using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;
using DelaySim.Model.StalenessDomain;

namespace DelaySim.Host.Scenarios;

/// <summary>Reads a HOCON scenario strictly: unknown keys, wrong types and out-of-range values are errors.</summary>
internal static class ScenarioReader
{
    public const string DefaultResource = "DelaySim.default.hocon";

    /// <param name="seed">The <c>--seed</c> option: appended after the overrides as <c>seed = N</c>, so scenario.hocon reproduces the run on its own.</param>
    public static Scenario ReadFile(string path, IReadOnlyList<string>? overrides = null, ulong? seed = null)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: scenario file not found");
        return Parse(WithSeed(WithOverrides(File.ReadAllText(path), overrides), seed), path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    static string WithSeed(string text, ulong? seed) => seed is { } s ? WithOverrides(text, [$"seed={s}"]) : text;

    /// <summary>
    /// Appends <c>--set key.path=value</c> overrides to a scenario's text (later definitions win in HOCON), so they are read
    /// and checked exactly like keys in the file.
    /// </summary>
    public static string WithOverrides(string text, IReadOnlyList<string>? overrides)
    {
        if (overrides is null || overrides.Count == 0) return text;
        var lines = overrides.Select(o =>
        {
            var eq = o.IndexOf('=');
            if (eq <= 0 || !System.Text.RegularExpressions.Regex.IsMatch(o[..eq].Trim(), @"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$"))
                throw new BadInputException($"--set '{o}': expected key.path=value (e.g. --set optimizer.eta=0.01)");
            var value = o[(eq + 1)..].Trim();
            return $"{o[..eq].Trim()} = {(value.StartsWith('[') || value.StartsWith('{') ? value : Literal(value))}";
        });
        return text + StrictConfig.OverridesMarker + string.Join('\n', lines) + "\n";
    }

    /// <summary>The built-in default scenario (scenarios/default.hocon, embedded in the executable).</summary>
    public static Scenario ReadDefault(IReadOnlyList<string>? overrides = null, ulong? seed = null)
    {
        using var stream = typeof(ScenarioReader).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"resource {DefaultResource} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(WithSeed(WithOverrides(reader.ReadToEnd(), overrides), seed), "default.hocon (built in)", Directory.GetCurrentDirectory());
    }

    public static Scenario Parse(string text, string source, string baseDirectory)
    {
        // Errors name the line of the file, or the --set option a key came from (StrictConfig splits the text).
        var c = new StrictConfig(HoconSyntax.Parse(text, source, baseDirectory), source, text);
        var sweep = ReadSweep(c);
        var labelled = sweep.Where(d => d.Labelled).ToArray();
        if (labelled.Length > 0)
        {
            // A key swept as labelled blocks is written only in the sweep (HOCON would merge a block written twice);
            // the base scenario takes each labelled dimension's first value.
            foreach (var d in labelled)
                if (c.Has(d.Paths[0]) && d.Blocks!.Any(b => b.StartsWith('{'))) throw c.Error(d.Paths[0], $"is swept as labelled blocks (sweep.\"{d.Paths[0]}\"), so it must not be set elsewhere too (HOCON would merge the two blocks)");
            var first = string.Join('\n', labelled.Select(d => Override(d, d.Paths[0], d.Points[0][0])));
            c = new StrictConfig(HoconSyntax.Parse(text + "\n" + first, source, baseDirectory), source, text);
            ReadSweep(c);
        }
        var scenario = ParseOne(c, source, baseDirectory, sweep) with { Text = text, Origin = source };
        if (sweep.Count == 0) return scenario;
        // Each grid point is the file with the swept keys set, read as strictly as the file itself.
        var dimensionOf = sweep.SelectMany(d => d.Paths.Select(p => (p, d))).ToDictionary(x => x.p, x => x.d);
        var variants = Grid(sweep).Select(point =>
        {
            var overrides = string.Join('\n', point.Select(p => Override(dimensionOf[p.Path], p.Path, p.Value)));
            var sweepPoint = new SweepPoint(point.Select(p => new SweepValue(p.Path, p.Value, $"{ShortestSuffix(p.Path, sweep)}={p.Value}") { LegacyLabel = $"{LegacyName(p.Path, sweep)}={p.Value}" }).ToArray());
            var name = sweepPoint.Name;
            // No line numbers here: a bad value may come from the sweep line, not from where the key is written.
            var variant = new StrictConfig(HoconSyntax.Parse(text + "\n" + overrides, $"{source} [{name}]", baseDirectory), $"{source} [{name}]");
            return (sweepPoint, ParseOne(variant, $"{source} [{name}]", baseDirectory, sweep) with { Origin = $"{source} [{name}]" });
        }).ToArray();
        return scenario with { Variants = variants };
    }

    /// <summary>
    /// The <c>sweep</c> block: quoted key paths, each with a list of values, and optional <c>zip { … }</c> blocks whose
    /// lists (of equal length) advance together; the grid is the product of the dimensions, in file order.
    /// </summary>
    static IReadOnlyList<SweepDimension> ReadSweep(StrictConfig c)
    {
        if (!c.Has("sweep")) return [];
        c.MarkKnown("sweep");
        var dimensions = new List<SweepDimension>();
        foreach (var key in c.ChildKeys("sweep"))
        {
            if (key == "zip" || key.StartsWith("zip", StringComparison.Ordinal) && c.IsBlock($"sweep.{key}"))
            {
                var paths = c.ChildKeys($"sweep.{key}").ToArray();
                if (paths.FirstOrDefault(p => c.IsBlock($"sweep.{key}.\"{p}\"")) is { } labelled)
                    throw c.Error($"sweep.{key}.{labelled}", "labelled blocks cannot be zipped (a zip advances lists of values together; sweep the blocks as their own dimension)");
                var lists = paths.Select(p => Values(c, $"sweep.{key}.\"{p}\"", $"sweep.{key}.{p}", p)).ToArray();
                if (paths.Length == 0) throw c.Error($"sweep.{key}", "is empty (expected \"key.path\" = [values] inside)");
                if (lists.Any(l => l.Length != lists[0].Length))
                    throw c.Error($"sweep.{key}", $"zipped lists must have the same length (got {string.Join(", ", lists.Select(l => l.Length))})");
                dimensions.Add(new SweepDimension(paths, Enumerable.Range(0, lists[0].Length).Select(i => lists.Select(l => l[i]).ToArray()).ToArray()));
                continue;
            }
            if (c.IsBlock($"sweep.\"{key}\""))
            {
                var labels = c.ChildKeys($"sweep.\"{key}\"").ToArray();
                if (labels.Length == 0) throw c.Error($"sweep.{key}", "is empty (expected label = value or label { … } entries)");
                if (labels.FirstOrDefault(l => !System.Text.RegularExpressions.Regex.IsMatch(l, "^[A-Za-z0-9_-]+$")) is { } bad)
                    throw c.Error($"sweep.{key}.{bad}", "a label is a word of letters, digits, '-' and '_' (it names the cells)");
                // HOCON reads an unquoted lr-0.1 { … } as lr-0 { 1 { … } }: a label whose block holds only number-named blocks had a dot.
                if (labels.FirstOrDefault(l => c.IsBlock($"sweep.\"{key}\".{l}") && c.ChildKeys($"sweep.\"{key}\".{l}") is { Count: > 0 } inner
                        && inner.All(k => k.All(char.IsAsciiDigit) && c.IsBlock($"sweep.\"{key}\".{l}.{k}"))) is { } dotted)
                    throw c.Error($"sweep.{key}.{dotted}", $"looks like a label with a dot ({dotted}.{c.ChildKeys($"sweep.\"{key}\".{dotted}")[0]}), which HOCON reads as a path; a label is a word of letters, digits, '-' and '_' (write {dotted}p{c.ChildKeys($"sweep.\"{key}\".{dotted}")[0]})");
                Values(c, $"sweep.\"{key}\"", $"sweep.{key}", key); // the same checks on the key path
                var blocks = labels.Select(l => c.ValueText($"sweep.\"{key}\".{l}")).ToArray();
                dimensions.Add(new SweepDimension([key], labels.Select(l => new[] { l }).ToArray()) { Blocks = blocks });
                continue;
            }
            if (VarsLabels(c, key) is { } names)
            {
                // [${vars.a}, ${vars.b}]: whole blocks, each labelled by its variable's name.
                dimensions.Add(new SweepDimension([key], names.Select(n => new[] { n }).ToArray()) { Blocks = names.Select(n => c.ValueText($"vars.{n}")).ToArray() });
                continue;
            }
            dimensions.Add(new SweepDimension([key], Values(c, $"sweep.\"{key}\"", $"sweep.{key}", key).Select(v => new[] { v }).ToArray()));
        }
        if (dimensions.Count == 0) throw c.Error("sweep", "is empty (expected \"key.path\" = [values])");
        return dimensions;
    }

    /// <summary>
    /// The variable names of a sweep list written as <c>"key" = [${vars.a}, ${vars.b}]</c> whose values are blocks, or
    /// null: such a list sweeps whole blocks, labelled by the names.
    /// </summary>
    static string[]? VarsLabels(StrictConfig c, string key)
    {
        if (c.Text is null || !c.IsBlockList($"sweep.\"{key}\"")) return null;
        var list = System.Text.RegularExpressions.Regex.Match(c.Text,
            "\"" + System.Text.RegularExpressions.Regex.Escape(key) + @"""\s*[=:]?\s*\[((?:\s*\$\{vars\.[A-Za-z0-9_-]+\}\s*,?)+)\s*\]");
        if (!list.Success) return null;
        var names = System.Text.RegularExpressions.Regex.Matches(list.Groups[1].Value, @"\$\{vars\.([A-Za-z0-9_-]+)\}").Select(m => m.Groups[1].Value).ToArray();
        if (names.Distinct().Count() != names.Length) throw c.Error($"sweep.{key}", $"lists a variable twice ({string.Join(", ", names)}): each value names a cell");
        return names;
    }

    static string[] Values(StrictConfig c, string path, string display, string key)
    {
        if (key is "sweep" || key.StartsWith("sweep.", StringComparison.Ordinal)) throw c.Error(display, "a sweep cannot sweep itself");
        if (c.IsBlock(path)) return [];
        try
        {
            return c.GetScalarList(path, display);
        }
        catch (BadInputException e) when (e.Message.Contains("is not a single value"))
        {
            throw new BadInputException(e.Message + " (to sweep whole blocks, label them: sweep { \"" + key + "\" { label-a { … }, label-b = ${vars.b} } })", e);
        }
    }

    /// <summary>The line that sets a swept key at one point: the value itself, or, for a labelled block, a substitution of it.</summary>
    static string Override(SweepDimension d, string path, string value) =>
        d.Labelled ? $"{path} = {d.Blocks![Array.FindIndex(d.Points, p => p[0] == value)]}" : $"{path} = {Literal(value)}";

    static IEnumerable<(string Path, string Value)[]> Grid(IReadOnlyList<SweepDimension> sweep)
    {
        IEnumerable<(string, string)[]> points = [[]];
        foreach (var d in sweep)
            points = points.SelectMany(p => d.Points.Select(v => p.Concat(d.Paths.Zip(v)).ToArray())).ToArray();
        return points;
    }

    /// <summary>The fewest trailing segments of <paramref name="path"/> that no other swept path ends with (the whole path at most).</summary>
    internal static string ShortestSuffix(string path, IReadOnlyList<SweepDimension> sweep)
    {
        var others = sweep.SelectMany(d => d.Paths).Where(p => p != path).ToArray();
        var segments = path.Split('.');
        for (var k = 1; k < segments.Length; k++)
        {
            var suffix = string.Join('.', segments[^k..]);
            if (!others.Any(p => p == suffix || p.EndsWith("." + suffix, StringComparison.Ordinal))) return suffix;
        }
        return path;
    }

    static string LegacyName(string path, IReadOnlyList<SweepDimension> sweep)
    {
        var last = path[(path.LastIndexOf('.') + 1)..];
        return sweep.SelectMany(d => d.Paths).Count(p => p.EndsWith("." + last, StringComparison.Ordinal) || p == last) > 1 ? path : last;
    }

    /// <summary>A value as HOCON: numbers and words bare, anything else quoted.</summary>
    static string Literal(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, @"^[A-Za-z0-9_.+-]+$") ? value : Output.JsonText.Quote(value);

    static Scenario ParseOne(StrictConfig c, string source, string baseDirectory, IReadOnlyList<SweepDimension> sweep)
    {
        c.MarkKnown("sweep");
        c.MarkKnown("vars"); // the user's own values for ${vars.x} substitutions
        var scenario = new Scenario(
            Name: c.GetString("name", "scenario"),
            Seed: c.GetULong("seed", 1),
            Seeds: c.GetInt("seeds", 1, min: 1, max: 10_000),
            Problem: new ProblemSection(
                c.GetEnum<ProblemKind>("problem.kind"),
                c.GetDouble("problem.l2", 0, min: 0),
                c.Has("problem.hidden") ? c.GetIntList("problem.hidden", min: 1, max: 100_000) : null),
            Data: ReadData(c, baseDirectory),
            Optimizer: ReadOptimizer(c),
            Simulation: ReadSimulation(c, baseDirectory),
            Delay: ReadDelay(c, baseDirectory),
            Workers: c.GetInt("workers", 0, min: 0, max: 100_000),
            Stability: ReadStability(c),
            Output: new OutputSection(c.GetInt("output.checkpoint-every", 100, min: 1)) { CellNames = ReadCellNames(c, sweep) },
            Sweep: sweep,
            Timeline: ReadTimeline(c))
        {
            BaseDirectory = baseDirectory,
            ContrastBaselines = ReadContrastBaselines(c, sweep),
            Live = ReadLive(c),
        };
        c.RejectUnknownKeys();
        if (scenario.Problem.Kind == ProblemKind.LeastSquares && scenario.Data.Libsvm is { Labels: not LabelMode.Regression and not LabelMode.Binary })
            throw c.Error("data.libsvm.labels", "least-squares needs 'regression' or 'binary' labels");
        return scenario;
    }

    /// <summary>The <c>live</c> block, for time-domain scenarios only; null without one.</summary>
    static LiveSection? ReadLive(StrictConfig c)
    {
        if (!c.Has("live")) return null;
        if (c.GetEnum("simulation.domain", Domain.Staleness) != Domain.Time)
            throw c.Error("live", "needs simulation.domain = time (live workers pull, compute and push in real time)");
        return new LiveSection(
            c.GetDouble("live.time-scale", 1, min: 0, minExclusive: true),
            c.Has("live.inject") ? c.GetWordList("live.inject", ["compute", "uplink", "downlink"]) : [],
            c.GetDouble("live.max-wall", 600, min: 0, minExclusive: true));
    }

    /// <summary>
    /// <c>timeline = [{ from-step, to-step, eta-factor | tau }, { from-time, to-time, uplink-factor | worker }]</c>: each
    /// entry one effect over a half-open window; <c>worker = m</c> means worker m is down in that window.
    /// </summary>
    static IReadOnlyList<TimelineEntry>? ReadTimeline(StrictConfig c)
    {
        if (!c.Has("timeline")) return null; // absent, so scenarios without a timeline keep their hash
        var domain = c.GetEnum("simulation.domain", Domain.Staleness);
        return c.BlockList("timeline").Select(e =>
        {
            var effects = new[] { "eta-factor", "tau", "uplink-factor", "worker" }.Where(e.Has).ToArray();
            if (effects.Length != 1)
                throw e.Error("", $"needs exactly one of eta-factor, tau, uplink-factor, worker (found {(effects.Length == 0 ? "none" : string.Join(", ", effects))})");
            var inTime = effects[0] is "uplink-factor" or "worker";
            if (inTime && domain == Domain.Staleness) throw e.Error(effects[0], "needs the time or parameter-server domain (windows in virtual seconds)");
            if (effects[0] == "tau" && domain != Domain.Staleness) throw e.Error("tau", "only applies in the staleness domain");
            var (fromKey, toKey) = inTime ? ("from-time", "to-time") : ("from-step", "to-step");
            var from = e.GetDouble(fromKey, min: 0);
            var to = e.GetDouble(toKey, min: 0);
            if (to <= from) throw e.Error(toKey, $"{to} must be after {fromKey} = {from}");
            var entry = effects[0] switch
            {
                "eta-factor" => new TimelineEntry(from, to, TimelineEffect.EtaFactor, e.GetDouble("eta-factor", min: 0)),
                "tau" => new TimelineEntry(from, to, TimelineEffect.Tau, e.GetInt("tau", min: 0, max: 1_000_000)),
                "uplink-factor" => new TimelineEntry(from, to, TimelineEffect.UplinkFactor, e.GetDouble("uplink-factor", min: 0)),
                _ => new TimelineEntry(from, to, TimelineEffect.WorkerDown, 0, e.GetInt("worker", min: 0)),
            };
            e.RejectUnknownKeys();
            return entry;
        }).ToArray();
    }

    /// <summary>
    /// <c>output.cell-names = "{uplink} eta={eta}"</c>: sweep cells named by a template whose placeholders are swept keys
    /// (a full path, or the short name cells are otherwise named by) and <c>{delay}</c> (the delay value's part).
    /// </summary>
    static string? ReadCellNames(StrictConfig c, IReadOnlyList<SweepDimension> sweep)
    {
        if (!c.Has("output.cell-names")) return null;
        var template = c.GetString("output.cell-names");
        if (sweep.Count == 0) throw c.Error("output.cell-names", "names the cells of a sweep, and this scenario has none");
        if (template.IndexOfAny(['/', '\\', '\n']) >= 0 || template.Trim().Length == 0)
            throw c.Error("output.cell-names", $"'{template}' cannot name a cell file (no '/', '\\' or line breaks, not empty)");
        var known = CellNamePlaceholders(sweep).Append("delay").ToArray();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(template, @"\{([^}]*)\}"))
            if (!known.Contains(m.Groups[1].Value))
                throw c.Error("output.cell-names", $"{{{m.Groups[1].Value}}} is not a swept key (expected one of {string.Join(", ", known.Select(k => $"{{{k}}}"))})");
        return template;
    }

    /// <summary>What a cell-name template may refer to a swept path by: the path, or its shortest unambiguous suffix.</summary>
    internal static IEnumerable<string> CellNamePlaceholders(IReadOnlyList<SweepDimension> sweep) =>
        sweep.SelectMany(d => d.Paths).SelectMany(p => new[] { ShortestSuffix(p, sweep), p }).Distinct();

    /// <summary>
    /// <c>contrasts.baseline { "key.path" = value, delay = fixed-tau0 }</c>: the value each swept key (or the delay list)
    /// is contrasted against, instead of its first; null when absent, so scenarios without it keep their hash.
    /// </summary>
    static IReadOnlyDictionary<string, string>? ReadContrastBaselines(StrictConfig c, IReadOnlyList<SweepDimension> sweep)
    {
        if (!c.Has("contrasts")) return null;
        c.MarkKnown("contrasts");
        if (c.ChildKeys("contrasts").FirstOrDefault(k => k != "baseline") is { } unknown) throw c.Error($"contrasts.{unknown}", "unknown key (expected contrasts.baseline { \"key.path\" = value })");
        if (!c.IsBlock("contrasts.baseline")) throw c.Error("contrasts.baseline", "expected a block of \"key.path\" = value");
        var baselines = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in c.ChildKeys("contrasts.baseline"))
        {
            var value = c.ValueText($"contrasts.baseline.\"{key}\"").Trim('"');
            if (key == "delay")
            {
                baselines[key] = value; // checked against the cells' delay parts when the contrasts are made
                continue;
            }
            var dimension = sweep.FirstOrDefault(d => d.Paths.Contains(key))
                ?? throw c.Error($"contrasts.baseline.{key}", $"is not swept (swept: {string.Join(", ", sweep.SelectMany(d => d.Paths).Append("delay"))})");
            var values = dimension.Points.Select(p => p[Array.IndexOf(dimension.Paths, key)]).ToArray();
            if (!values.Contains(value)) throw c.Error($"contrasts.baseline.{key}", $"{value} is not one of its swept values ({string.Join(", ", values)})");
            baselines[key] = value;
        }
        return baselines;
    }

    static StabilitySection ReadStability(StrictConfig c)
    {
        var independent = c.GetString("stability.twin-delays", "shared", ["shared", "independent"]) == "independent";
        if (independent && c.GetEnum("simulation.domain", Domain.Staleness) == Domain.ParameterServer)
            throw c.Error("stability.twin-delays", "'independent' needs random delays; the parameter-server domain fires on fixed periods, so twins would see the same ones");
        return new StabilitySection(c.GetInt("stability.twins", 0, min: 0, max: 100_000), independent);
    }

    static OptimizerSection ReadOptimizer(StrictConfig c)
    {
        var budgets = new[] { "iterations", "epochs", "gradients" }.Where(k => c.Has($"optimizer.{k}")).ToArray();
        if (budgets.Length != 1)
            throw c.Error("optimizer", $"needs exactly one budget: 'iterations' (server steps), 'epochs' or 'gradients' (found {(budgets.Length == 0 ? "none" : string.Join(", ", budgets))})");
        var schedule = c.GetEnum("optimizer.schedule", EtaSchedule.Constant);
        var domain = c.GetEnum("simulation.domain", Domain.Staleness);
        if (schedule is EtaSchedule.InverseTau or EtaSchedule.InverseTauPlusOne && domain == Domain.Time)
            throw c.Error("optimizer.schedule", $"'{StrictConfig.KebabName(schedule)}' needs a nominal delay τ, which the time domain does not have (use the staleness or parameter-server domain)");
        return new OptimizerSection(
            c.GetDouble("optimizer.eta", min: 0, minExclusive: true),
            schedule,
            schedule == EtaSchedule.Decay ? c.GetDouble("optimizer.decay-steps", min: 0, minExclusive: true) : 0,
            budgets[0] == "iterations" ? c.GetInt("optimizer.iterations", min: 1) : null,
            budgets[0] == "epochs" ? c.GetDouble("optimizer.epochs", min: 0, minExclusive: true) : null,
            budgets[0] == "gradients" ? c.GetLong("optimizer.gradients", min: 1) : null,
            c.GetInt("optimizer.batch", 1, min: 1),
            c.GetEnum("optimizer.sampling", Sampling.Uniform),
            c.GetDouble("optimizer.init-sd", 0, min: 0)) { Rule = ReadRule(c) };
    }

    /// <summary>
    /// <c>optimizer.rule { kind = …, parameters }</c>. Every parameter present is checked whatever the kind, and a kind
    /// uses those it takes, so a sweep over <c>optimizer.rule.kind</c> can keep every kind's parameters in one block.
    /// Null for <c>plain</c>.
    /// </summary>
    static RuleSection? ReadRule(StrictConfig c)
    {
        const string r = "optimizer.rule";
        if (!c.Has(r)) return null;
        if (!c.IsBlock(r)) throw c.Error(r, "expected a block, e.g. optimizer.rule { kind = momentum, beta = 0.9 }");
        double? Optional(string key, double min, double max = double.PositiveInfinity, bool exclusive = false) =>
            c.Has($"{r}.{key}") ? c.GetDouble($"{r}.{key}", min: min, max: max, minExclusive: exclusive) : null;
        var scale = Optional("scale", 0, exclusive: true);
        var weight = c.Has($"{r}.weight") ? c.GetEnum<Model.Updates.StalenessWeight>($"{r}.weight") : (Model.Updates.StalenessWeight?)null;
        var a = Optional("a", 0, exclusive: true);
        var b = Optional("b", 0);
        var beta = Optional("beta", 0, max: 0.999999);
        var max = c.Has($"{r}.max") ? c.GetInt($"{r}.max", min: 0) : (int?)null;
        var lambda = Optional("lambda", 0);
        var size = c.Has($"{r}.size") ? c.GetInt($"{r}.size", min: 1) : (int?)null;
        var combine = c.Has($"{r}.combine") ? c.GetEnum<BufferCombine>($"{r}.combine") : (BufferCombine?)null;
        var policy = c.Has($"{r}.policy") ? c.GetEnum<BoundedPolicy>($"{r}.policy") : (BoundedPolicy?)null;
        if (policy == BoundedPolicy.Wait && c.GetEnum("simulation.domain", Domain.Staleness) != Domain.Time)
            throw c.Error($"{r}.policy", "wait needs simulation.domain = time (the staleness domain plans its steps, so a worker cannot be made to wait; use drop)");
        T Required<T>(T? value, string key, string what) where T : struct => value ?? throw c.Error($"{r}.{key}", $"is required by this rule kind ({what})");
        return c.GetEnum($"{r}.kind", RuleKind.Plain) switch
        {
            RuleKind.Plain => null,
            RuleKind.DelayAdaptive => new RuleSection(RuleKind.DelayAdaptive, Scale: scale),
            RuleKind.StalenessWeighted => Weighted(RuleKind.StalenessWeighted, Required(weight, "weight", "inverse, polynomial or hinge")),
            RuleKind.Buffered => weight is { } w
                ? Weighted(RuleKind.Buffered, w) with { Size = Required(size, "size", "K, the gradients per update, ≥ 1"), Combine = combine ?? BufferCombine.Mean }
                : new RuleSection(RuleKind.Buffered, Size: Required(size, "size", "K, the gradients per update, ≥ 1"), Combine: combine ?? BufferCombine.Mean),
            RuleKind.Momentum => new RuleSection(RuleKind.Momentum, Beta: Required(beta, "beta", "the momentum, in [0, 1)")),
            RuleKind.BoundedStaleness => new RuleSection(RuleKind.BoundedStaleness, Max: Required(max, "max", "the largest staleness applied, ≥ 0"))
                { Policy = policy == BoundedPolicy.Wait ? policy : null },
            RuleKind.DelayCompensated => new RuleSection(RuleKind.DelayCompensated, Lambda: Required(lambda, "lambda", "the compensation strength λ ≥ 0")),
            var kind => throw new InvalidOperationException($"rule {kind} has no reader"),
        };

        // A staleness weight and the parameters its function takes.
        RuleSection Weighted(RuleKind kind, Model.Updates.StalenessWeight w) => w switch
        {
            Model.Updates.StalenessWeight.Inverse => new RuleSection(kind, Weight: w),
            Model.Updates.StalenessWeight.Polynomial => new RuleSection(kind, Weight: w, A: Required(a, "a", "the exponent of (1 + τ)^(−a)")),
            _ => new RuleSection(kind, Weight: w, A: Required(a, "a", "the slope of the hinge"), B: Required(b, "b", "the staleness the hinge starts at")),
        };
    }

    static DelaySection? ReadDelay(StrictConfig c, string baseDirectory)
    {
        var domain = c.GetEnum("simulation.domain", Domain.Staleness);
        if (domain != Domain.Staleness)
        {
            var name = StrictConfig.KebabName(domain);
            if (c.Has("delay")) throw c.Error("delay", $"is for the staleness domain; with simulation.domain = {name} the delays come from simulation.{name}");
            return null;
        }
        // Every key present is checked whatever the kind, so a sweep over delay.kind can keep a trace's file or a model beside τ.
        var kind = c.GetEnum("delay.kind", DelayKind.Fixed);
        var tau = kind is DelayKind.Fixed or DelayKind.Uniform || c.Has("delay.tau") ? c.GetIntList("delay.tau", min: 0, max: 1_000_000) : [];
        var file = kind is DelayKind.Trace or DelayKind.Replay || c.Has("delay.file") ? c.GetExistingFile("delay.file", baseDirectory) : null;
        // "all": every column (worker) of each row in turn, the order a table of per-worker staleness records updates in.
        var column = c.Has("delay.column") && c.GetString("delay.column") == "all" ? TraceStaleness.AllColumns : c.GetInt("delay.column", 0, min: 0);
        var repeat = c.GetString("delay.repeat", "false", ["true", "false"]) == "true";
        if (kind == DelayKind.Model && !c.Has("delay.model"))
            throw c.Error("delay.model", "is required with delay.kind = model (a delay-model block, read as steps)");
        var model = c.Has("delay.model") ? DelayModelReader.Read(c, "delay.model", baseDirectory) : null;
        var max = kind == DelayKind.Model || c.Has("delay.max") ? c.GetInt("delay.max", min: 0, max: 1_000_000) : 0;
        if (kind == DelayKind.Model)
            return new DelaySection(kind, [max])
            {
                Model = new StalenessModelSection(c.BlockText("delay.model"), max) { Staleness = new ModelStaleness(model!, max) },
            };
        var full = file is null ? null : Path.GetFullPath(file, baseDirectory);
        if (kind == DelayKind.Replay)
        {
            if (c.GetString("stability.twin-delays", "shared", ["shared", "independent"]) == "independent")
                throw c.Error("stability.twin-delays", "must be shared with delay.kind = replay: the recording is one delay sequence, which the twins share");
            try
            {
                var replay = ReplayStaleness.Read(full!, int.MaxValue);
                return new DelaySection(kind, [replay.Max]) { Replay = new StalenessReplaySection(file!, replay.Fingerprint) { Staleness = replay } };
            }
            catch (BadInputException e)
            {
                throw c.Error("delay.file", e.Message);
            }
        }
        if (kind != DelayKind.Trace) return new DelaySection(kind, tau);
        int[] values;
        try
        {
            values = TraceStaleness.Read(full!, column);
        }
        catch (BadInputException e)
        {
            throw c.Error("delay.file", e.Message);
        }
        return new DelaySection(kind, [values.Max()])
        {
            Trace = new StalenessTraceSection(file!, column, repeat) { Staleness = new TraceStaleness(full!, column, values, repeat) },
        };
    }

    static SimulationSection ReadSimulation(StrictConfig c, string baseDirectory)
    {
        var domain = c.GetEnum("simulation.domain", Domain.Staleness);
        foreach (var other in new[] { "time", "parameter-server" }.Where(d => d != StrictConfig.KebabName(domain) && c.Has($"simulation.{d}")))
            throw c.Error($"simulation.{other}", $"is only used with simulation.domain = {other} (the domain is {StrictConfig.KebabName(domain)})");
        if (domain == Domain.Time)
        {
            const string t = "simulation.time";
            (string Text, DelayModel Model) Model(string role, bool required)
            {
                if (!c.Has($"{t}.{role}"))
                    return required
                        ? throw c.Error($"{t}.{role}", "is required (a delay model block, e.g. { distribution = exponential, mean = 0.01 })")
                        : ("distribution = constant\nvalue = 0", new IidModel(new ConstantDelay(0)));
                return (c.BlockText($"{t}.{role}"), DelayModelReader.Read(c, $"{t}.{role}", baseDirectory));
            }
            var (compute, uplink, downlink) = (Model("compute", true), Model("uplink", true), Model("downlink", false));
            return new SimulationSection(domain, new TimeSection(
                c.GetInt($"{t}.workers", min: 1, max: 100_000),
                c.GetEnum($"{t}.apply", ApplyPolicy.Each),
                c.GetEnum($"{t}.data", DataPlacement.Shared),
                compute.Text, uplink.Text, downlink.Text) { Models = (compute.Model, uplink.Model, downlink.Model) }, null);
        }
        if (domain == Domain.ParameterServer)
        {
            const string p = "simulation.parameter-server";
            return new SimulationSection(domain, null, new ParameterServerSection(
                c.GetInt($"{p}.workers", 16, min: 1, max: 100_000),
                c.GetEnum($"{p}.delays", PeriodKind.Fixed),
                c.GetIntList($"{p}.d", min: 1, max: 1_000_000),
                c.GetEnum($"{p}.count", StepCount.Steps)));
        }
        return new SimulationSection(domain, null, null);
    }

    static DataSection ReadData(StrictConfig c, string baseDirectory)
    {
        var synthetic = c.Has("data.synthetic");
        var libsvm = c.Has("data.libsvm");
        var idx = c.Has("data.idx");
        if ((synthetic ? 1 : 0) + (libsvm ? 1 : 0) + (idx ? 1 : 0) != 1)
            throw c.Error("data", "needs exactly one of the blocks 'synthetic { ... }', 'libsvm { ... }' and 'idx { ... }'");
        if (idx)
        {
            var testImages = c.Has("data.idx.test-images") ? c.GetExistingFile("data.idx.test-images", baseDirectory) : null;
            var testLabels = c.Has("data.idx.test-labels") ? c.GetExistingFile("data.idx.test-labels", baseDirectory) : null;
            if ((testImages is null) != (testLabels is null)) throw c.Error("data.idx", "give both 'test-images' and 'test-labels', or neither");
            return new DataSection(null, null, new IdxSection(c.GetExistingFile("data.idx.images", baseDirectory), c.GetExistingFile("data.idx.labels", baseDirectory), testImages, testLabels,
                c.GetDouble("data.idx.test-fraction", 0.5, min: 0, max: 1, minExclusive: true),
                c.Has("data.idx.classes") ? c.GetIntList("data.idx.classes", min: 0, max: 255) : null));
        }
        if (synthetic)
            return new DataSection(new SyntheticSection(
                c.GetInt("data.synthetic.n", min: 1),
                c.GetInt("data.synthetic.n-test", 10_000, min: 1),
                c.GetInt("data.synthetic.dimension", min: 1),
                c.GetDouble("data.synthetic.noise", 0.5, min: 0),
                c.GetDouble("data.synthetic.spectrum-decay", 0, min: 0),
                c.GetDouble("data.synthetic.spectrum-scale", 1, min: 0, minExclusive: true),
                c.GetEnum("data.synthetic.sampler", Model.Randomness.GaussianSampler.Polar)), null);
        var test = c.Has("data.libsvm.test") ? c.GetExistingFile("data.libsvm.test", baseDirectory) : null;
        return new DataSection(null, new LibSvmSection(
            c.GetExistingFile("data.libsvm.train", baseDirectory),
            test,
            c.GetDouble("data.libsvm.test-fraction", 0.4, min: 0, max: 1, minExclusive: true),
            c.GetEnum("data.libsvm.labels", LabelMode.Binary),
            c.GetInt("data.libsvm.features", 0, min: 0),
            c.GetEnum("data.libsvm.storage", Storage.Auto)));
    }
}

using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Model.Problems;
using DelaySim.Model.Delays;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Host.Pipeline;

/// <summary>One cell of a sweep: a name built from its swept value, and its resolved spec.</summary>
internal sealed record Cell(string Name, CellSpec Spec, int TrainCount)
{
    /// <summary>The sweep point the cell belongs to (<see cref="SweepPoint.None"/> without a sweep); its delay value is the rest of the name.</summary>
    public SweepPoint Point { get; init; } = SweepPoint.None;

    /// <summary>The delay value's part of the name (<c>fixed-tau8</c>, <c>ps-random-d16</c>, <c>time</c>); a sweep cell's name leaves out <see cref="Unnamed"/> parts.</summary>
    public string DelayPart { get; init; } = Name;

    /// <summary>Delay parts that only say which domain ran (one cell per sweep point), so format 2 leaves them out of sweep cells' names.</summary>
    public static readonly string[] Unnamed = ["time", "trace", "model"];
}

/// <summary>Turns a scenario into its data source and its cells (one per delay value).</summary>
internal static class CellPlan
{
    /// <param name="spares">Memory an earlier run of this process left for synthetic test sets (see <see cref="Release"/>).</param>
    public static IReadOnlyList<Cell> Build(Scenario scenario, SpareArrays? spares = null)
    {
        var synthetic = new Dictionary<(ulong, SyntheticSection), SyntheticSource>();
        var cells = scenario.Variants.Count == 0
            ? BuildOne(scenario, synthetic, spares)
            : scenario.Variants.SelectMany(v => BuildOne(v.Scenario, synthetic, spares).Select(c => c with { Name = SweepCellName(scenario, v.Point, c.Name), Point = v.Point })).ToArray();
        // Cells are stored, summarised and compared by name: two with one name are the same cell asked for twice.
        if (cells.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new BadInputException(scenario.Output.CellNames is { } template
                ? $"{scenario.Origin}: output.cell-names: \"{template}\" gives {twice.Count()} cells the name {twice.Key} (add the swept keys, or {{delay}}, that tell them apart)"
                : $"{scenario.Origin}: cell {twice.Key} appears {twice.Count()} times (a value repeated in delay.tau, the parameter server's d, or a sweep list)");
        if (scenario.ContrastBaselines?.GetValueOrDefault("delay") is { } delay && cells.All(c => c.DelayPart != delay))
            throw new BadInputException($"{scenario.Origin}: contrasts.baseline.delay: {delay} is not one of the delay values ({string.Join(", ", cells.Select(c => c.DelayPart).Distinct())})");
        return cells;
    }

    /// <summary>
    /// The memory of the synthetic test sets <paramref name="cells"/> drew, every source's, to <paramref name="spares"/>
    /// (those their plan was built with) for the next run's: only once no cell of the plan runs any more (see
    /// <see cref="SyntheticSource.Release"/>).
    /// </summary>
    public static void Release(IReadOnlyList<Cell> cells, SpareArrays spares) =>
        spares.Replace(cells.Select(c => c.Spec.Data).OfType<SyntheticSource>().Distinct().SelectMany(source => source.Release()).ToArray());

    static string SweepCellName(Scenario scenario, SweepPoint point, string delayPart)
    {
        if (scenario.Format < 2) return $"{point.LegacyName};{delayPart}";
        if (scenario.Output.CellNames is not { } template) return Cell.Unnamed.Contains(delayPart) ? point.Name : $"{point.Name};{delayPart}";
        // A placeholder is a swept path or the key part of its label (ScenarioReader checked that each one is).
        var values = point.Values.SelectMany(v => new[] { (v.Path, v.Value), (v.Label[..v.Label.IndexOf('=')], v.Value) }).DistinctBy(k => k.Item1).ToDictionary(k => k.Item1, k => k.Value);
        return System.Text.RegularExpressions.Regex.Replace(template, @"\{([^}]*)\}", m => m.Groups[1].Value == "delay" ? delayPart : values[m.Groups[1].Value]);
    }

    /// <param name="synthetic">The synthetic sources of this plan by law and sizes: sweep points that do not change the data share one, and so its drawn sets.</param>
    static IReadOnlyList<Cell> BuildOne(Scenario scenario, Dictionary<(ulong, SyntheticSection), SyntheticSource> synthetic, SpareArrays? spares)
    {
        MemoryBudget.RequireSyntheticShape(scenario);
        var (data, trainCount) = LoadData(scenario, synthetic, spares);
        CheckLabels(scenario, data);
        if (scenario.Stability.Twins > trainCount)
            throw new BadInputException($"{scenario.Origin}: stability.twins = {scenario.Stability.Twins} exceeds the training set size {trainCount} (each twin replaces a distinct training example)");
        var o = scenario.Optimizer;
        var problem = new ProblemSpec(scenario.Problem.Kind, scenario.Problem.L2, scenario.Problem.Hidden);
        var time = scenario.Simulation.Time;
        if (time is not null)
        {
            var spec = new TimeDomainSpec(time.Workers, time.Apply, time.Data, time.Models.Compute, time.Models.Uplink, time.Models.Downlink,
                $"time domain, {time.Workers} workers");
            CheckStreams(spec, scenario);
            return [new Cell("time", Cell(spec), trainCount)];
        }
        if (scenario.Simulation.ParameterServer is { } ps)
            return ps.D.Select(d =>
            {
                var delays = StrictConfig.KebabName(ps.Delays);
                var periods = ps.Delays == PeriodKind.Fixed ? Enumerable.Repeat(d, ps.Workers).ToArray() : TimeDomainSpec.RandomPeriods(ps.Workers, d, scenario.Seed);
                var label = $"ps {delays} d={d}";
                return new Cell($"ps-{delays}-d{d}", Cell(TimeDomainSpec.ParameterServer(periods, label, ps.Count == StepCount.Steps), periods.Max() - 1), trainCount);
            }).ToArray();

        CellSpec Cell(TimeDomainSpec spec, int tau = 0)
        {
            foreach (var down in (scenario.Timeline ?? []).Where(t => t.Effect == TimelineEffect.WorkerDown && t.Worker >= spec.Workers))
                throw new BadInputException($"{scenario.Origin}: timeline: worker {down.Worker} does not exist (the run has workers 0..{spec.Workers - 1})");
            // Time domain: steps bound the run only when the budget is in steps; epochs and gradients become a gradient budget.
            var gradients = o.Gradients ?? (o.Epochs is { } e ? (long)Math.Ceiling(e * trainCount / o.Batch) : long.MaxValue);
            return new CellSpec(problem, data, new FixedStaleness(0), CellEta(o, tau), o.Iterations ?? int.MaxValue, o.Batch, o.Sampling,
                scenario.Stability.Twins, scenario.Output.CheckpointEvery, o.InitSd, spec.Workers, spec)
            {
                Rule = o.Rule?.Build(spec.Workers) ?? Model.Updates.UpdateRule.Plain,
                DecaySteps = o.DecaySteps,
                GradientBudget = gradients,
                Timeline = new Timeline(scenario.Timeline ?? []),
                IndependentTwinDelays = scenario.Stability.IndependentDelays,
            };
        }

        return scenario.Delay!.Tau.Select(tau =>
        {
            IStaleness staleness = scenario.Delay.Kind switch
            {
                DelayKind.Uniform => new UniformStaleness(tau),
                DelayKind.Trace => scenario.Delay.Trace!.Staleness!,
                DelayKind.Model => scenario.Delay.Model!.Staleness!,
                DelayKind.Replay => scenario.Delay.Replay!.Staleness!,
                _ => new FixedStaleness(tau),
            };
            var workers = scenario.Workers > 0 ? scenario.Workers : tau + 1;
            // Staleness domain: one gradient of b samples per step, so every budget is a number of steps.
            var steps = o.Iterations ?? (int)Math.Min(int.MaxValue, o.Gradients ?? (long)Math.Ceiling(o.Epochs!.Value * trainCount / o.Batch));
            var spec = new CellSpec(problem, data, staleness, CellEta(o, tau), steps, o.Batch, o.Sampling,
                scenario.Stability.Twins, scenario.Output.CheckpointEvery, o.InitSd, workers)
            {
                Rule = o.Rule?.Build(workers) ?? Model.Updates.UpdateRule.Plain,
                DecaySteps = o.DecaySteps,
                Timeline = new Timeline(scenario.Timeline ?? []),
                IndependentTwinDelays = scenario.Stability.IndependentDelays,
            };
            if (staleness is TraceStaleness { Repeat: false } trace && steps > trace.Values.Length)
                throw new BadInputException($"{scenario.Origin}: delay.file: {scenario.Delay.Trace!.File} has {trace.Values.Length} values for {steps} steps (set delay.repeat = true to wrap around, or shorten the run)");
            if (staleness is ReplayStaleness replay) CheckReplay(replay, scenario, steps, trainCount);
            return new Cell(staleness switch { TraceStaleness => "trace", ModelStaleness => "model", ReplayStaleness => "replay", _ => $"{StrictConfig.KebabName(scenario.Delay.Kind)}-tau{tau}" }, spec, trainCount);
        }).ToArray();
    }

    /// <summary>A recording fits the run: its batches are the run's, it has every step, and its samples exist in the data.</summary>
    static void CheckReplay(ReplayStaleness replay, Scenario scenario, int steps, int trainCount)
    {
        var file = $"{scenario.Origin}: delay.file: {scenario.Delay!.Replay!.File}";
        if (replay.BatchSize != scenario.Optimizer.Batch)
            throw new BadInputException($"{file} records batches of {replay.BatchSize} samples; set optimizer.batch = {replay.BatchSize} (it is {scenario.Optimizer.Batch})");
        if (steps > replay.Steps)
            throw new BadInputException($"{file} has {replay.Steps} applied steps; set optimizer.iterations to at most {replay.Steps} (it asks for {steps})");
        if (replay.Samples.Max() >= trainCount)
            throw new BadInputException($"{file} uses example {replay.Samples.Max()}, but the training set has {trainCount} examples (0..{trainCount - 1}; a different data section from the recorded run's?)");
    }

    /// <summary>Opens every delay stream once, so a trace without some worker or an override beyond M is bad input now, not mid-run.</summary>
    static void CheckStreams(TimeDomainSpec spec, Scenario scenario)
    {
        foreach (var (role, model) in new[] { ("compute", spec.Compute), ("uplink", spec.Uplink), ("downlink", spec.Downlink) })
        {
            try
            {
                model.Open(scenario.Seed, role, spec.Workers);
            }
            catch (ArgumentException e)
            {
                throw new BadInputException($"{scenario.Origin}: simulation.time.{role}: {e.Message}", e);
            }
        }
    }

    /// <summary>Classification losses need class labels, logistic two of them, least squares real targets or ±1.</summary>
    static void CheckLabels(Scenario scenario, IDataSource data)
    {
        var kind = scenario.Problem.Kind;
        var name = StrictConfig.KebabName(kind);
        // Synthetic data is regression; drawing it here would only spend time (and memory before MemoryBudget looks).
        var classes = scenario.Data.Synthetic is not null ? 0 : data.Load(DelaySim.Model.Randomness.Streams.Replicate(scenario.Seed, 0)).Train.ClassCount;
        var what = scenario.Data.Synthetic is not null ? "synthetic regression data" : classes == 0 ? "regression labels" : $"{classes} classes";
        if (kind is ProblemKind.LinearMse or ProblemKind.Mlp && classes < 2)
            throw new BadInputException($"{scenario.Origin}: problem.kind = {name} needs class labels (data.libsvm.labels = binary or multiclass, or data.idx), not {what}");
        if (kind == ProblemKind.Logistic && classes != 2)
            throw new BadInputException($"{scenario.Origin}: problem.kind = logistic needs two classes, not {what}");
        if (kind == ProblemKind.LeastSquares && classes > 2)
            throw new BadInputException($"{scenario.Origin}: problem.kind = least-squares needs real targets or two classes, not {what}");
    }

    /// <summary>The cell's base η: η / max(1, τ) or η / (τ + 1) for the 1/τ schedules, η otherwise.</summary>
    static double CellEta(OptimizerSection o, int tau) => o.Schedule switch
    {
        EtaSchedule.InverseTau => o.Eta / Math.Max(1, tau),
        EtaSchedule.InverseTauPlusOne => o.Eta / (tau + 1),
        _ => o.Eta,
    };

    static (IDataSource Source, int TrainCount) LoadData(Scenario scenario, Dictionary<(ulong, SyntheticSection), SyntheticSource> synthetic, SpareArrays? spares)
    {
        if (scenario.Data.Synthetic is { } s)
        {
            var law = (scenario.Seed, s);
            if (!synthetic.TryGetValue(law, out var source))
                synthetic[law] = source = new SyntheticSource(new SyntheticRegression(s.Dimension, s.Noise, s.SpectrumDecay, s.SpectrumScale, scenario.Seed, s.Sampler), s.N, s.NTest, spares);
            return (source, s.N);
        }
        var key = $"{scenario.BaseDirectory}|{scenario.Seed}|{scenario.Problem.Kind}|{Output.CanonicalJson.Of(scenario.Data)}";
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(key, out var loaded)) Loaded[key] = loaded = scenario.Data.Idx is null ? LoadLibSvm(scenario) : LoadIdx(scenario);
            return loaded;
        }
    }

    /// <summary>LIBSVM data already read in this process, so sweep points over other keys do not parse the files again.</summary>
    static readonly Dictionary<string, (IDataSource, int)> Loaded = [];

    static (IDataSource Source, int TrainCount) LoadIdx(Scenario scenario)
    {
        var x = scenario.Data.Idx!;
        string Full(string p) => Path.GetFullPath(p, scenario.BaseDirectory);
        // One class list for train and test: the one given, or the train file's; a test label outside it is an error.
        var classes = x.Classes ?? Idx.ReadLabels(Full(x.Labels)).Distinct().Order().Select(b => (int)b).ToArray();
        var all = Idx.Read(Full(x.Images), Full(x.Labels), classes);
        var description = $"idx {Path.GetFileName(x.Images)}{(x.Classes is null ? "" : $" classes {string.Join("/", x.Classes)}")}";
        var split = x.TestImages is null
            ? Split(scenario, "data.idx.test-fraction", all, x.TestFraction, description)
            : new DataSplit(all, Idx.Read(Full(x.TestImages), Full(x.TestLabels!), classes, strict: x.Classes is null), description);
        return (new FixedSource(split), split.Train.Count);
    }

    static DataSplit Split(Scenario scenario, string key, Dataset all, double testFraction, string description)
    {
        try
        {
            return FixedSource.Split(all, testFraction, scenario.Seed, description);
        }
        catch (BadInputException e)
        {
            throw new BadInputException($"{scenario.Origin}: {key}: {e.Message}", e);
        }
    }

    static (IDataSource Source, int TrainCount) LoadLibSvm(Scenario scenario)
    {
        var l = scenario.Data.Libsvm!;
        var trainPath = Path.GetFullPath(l.Train, scenario.BaseDirectory);
        var files = new List<LibSvmFile> { LibSvm.Read(trainPath) };
        if (l.Test is not null) files.Add(LibSvm.Read(Path.GetFullPath(l.Test, scenario.BaseDirectory)));
        var sets = LibSvm.ToDatasets(files, l.Labels, l.Features > 0 ? l.Features : null, l.Storage);
        var description = $"libsvm {Path.GetFileName(l.Train)}{(l.Test is null ? $" split {1 - l.TestFraction:0.##}/{l.TestFraction:0.##}" : $" / {Path.GetFileName(l.Test)}")}"
                          + (sets[0].IsSparse ? $", sparse ({(double)sets.Sum(s => s.StoredValues) / sets.Sum(s => (double)s.Count * s.FeatureCount):P2} stored)" : "");
        if (sets.Sum(s => s.StoredValues) > 10_000_000)
        {
            // Parsing a big file leaves large, uncompacted buffers behind; give them back before the run allocates its own.
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect();
        }
        var split = sets.Length == 2
            ? new DataSplit(sets[0], sets[1], description)
            : Split(scenario, "data.libsvm.test-fraction", sets[0], l.TestFraction, description);
        if (scenario.Problem.Kind == ProblemKind.Logistic && split.Train.ClassCount != 2)
            throw new BadInputException($"{l.Train}: logistic needs binary labels (data.libsvm.labels = binary)");
        return (new FixedSource(split), split.Train.Count);
    }
}

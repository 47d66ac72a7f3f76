using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Model.Data;

namespace DelaySim.Host.Pipeline;

/// <summary>
/// What a run will allocate, estimated from the plan before anything big is allocated, so a scenario too large for the
/// machine is refused at once (exit 2, with the figure and what to change) instead of failing after minutes or
/// taking the machine's memory. The estimate counts the large arrays (data, history ring, worker buffers, per-slot
/// batches) and rounds up; small objects are ignored.
/// </summary>
internal static class MemoryBudget
{
    /// <summary>One item of the largest replicate's footprint, for the message.</summary>
    /// <param name="LargestArray">Values in the largest single array of this part (.NET caps an array's length).</param>
    internal sealed record Part(string What, double Values, double LargestArray, int Bytes = sizeof(double))
    {
        public double TotalBytes => Values * Bytes;
    }

    /// <summary>The large arrays one replicate of <paramref name="cell"/> allocates.</summary>
    public static IReadOnlyList<Part> Replicate(Scenario scenario, Cell cell)
    {
        var spec = cell.Spec;
        var (features, classes, examples, rows) = Shape(scenario, spec);
        double parameters = spec.Problem.Kind switch
        {
            Model.Problems.ProblemKind.Mlp => Mlp(features, Math.Max(2, classes), spec.Problem.Hidden ?? []),
            Model.Problems.ProblemKind.LinearMse => Math.Max(2, classes) * (features + 1),
            _ => features,
        };
        var trajectories = spec.Twins + 1.0;
        var parts = new List<Part>
        {
            new("model state (parameters, gradients, buffers) of every trajectory", 6 * trajectories * parameters, parameters),
        };
        if (examples > 0) parts.Add(new($"synthetic data ({examples:N0} examples × d = {features:N0}, with the evaluation copy)", 2.0 * examples * features, rows * features));
        if (spec.Time is { } time)
        {
            parts.Add(new($"snapshots and gradients of {time.Workers:N0} workers × {trajectories:N0} trajectories", 2.0 * time.Workers * trajectories * parameters, parameters));
            parts.Add(new($"mini-batch indices of {time.Workers:N0} workers", (double)time.Workers * spec.Batch, spec.Batch, sizeof(int)));
        }
        else
        {
            var slots = spec.MaxStaleness + 1.0;
            var workers = Math.Max(1, spec.Workers);
            parts.Add(new($"history ring of τ̂ + 1 = {slots:N0} versions × {parameters:N0} parameters × {trajectories:N0} trajectories", slots * parameters * trajectories, slots * parameters));
            parts.Add(new($"mini-batch indices of {slots:N0} in-flight steps × batch {spec.Batch:N0}", slots * spec.Batch, spec.Batch, sizeof(int)));
            parts.Add(new($"worker versions of {slots:N0} in-flight steps × {workers:N0} workers", slots * workers, workers, sizeof(long)));
        }
        return parts;
    }

    /// <summary>Refuses the plan when its estimate exceeds <paramref name="limitBytes"/> (default: the memory available to this process).</summary>
    public static void Require(Scenario scenario, IReadOnlyList<Cell> cells, int jobs, long? limitBytes = null)
    {
        if (cells.Count == 0) return;
        var points = scenario.Variants.ToDictionary(v => v.Point.Name, v => v.Scenario);
        var parts = cells.Select(c => (Cell: c, Parts: Replicate(points.GetValueOrDefault(c.Point.Name, scenario), c))).ToArray();
        var largest = parts.MaxBy(x => x.Parts.Sum(p => p.TotalBytes));
        foreach (var part in parts.SelectMany(c => c.Parts).Where(p => p.LargestArray > Array.MaxLength))
            throw new BadInputException($"{scenario.Origin}: the {part.What} would need an array of {part.LargestArray:G3} values, more than .NET's {Array.MaxLength:N0}; make it smaller");
        var concurrent = Math.Min(Math.Max(1, jobs), (long)cells.Count * scenario.Seeds);
        var perReplicate = largest.Parts.Sum(p => p.TotalBytes);
        var total = perReplicate * concurrent;
        var limit = limitBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (total <= limit) return;
        var biggest = largest.Parts.MaxBy(p => p.TotalBytes)!;
        throw new BadInputException(
            $"{scenario.Origin}: the run needs about {Gib(total)} ({concurrent} replicate(s) at once × {Gib(perReplicate)} for cell {largest.Cell.Name}, " +
            $"most of it the {biggest.What}: {Gib(biggest.TotalBytes)}), more than the {Gib(limit)} {(limitBytes is null ? "this machine has available" : "--max-memory allows")}. " +
            "Lower the size that dominates (delay.tau, the dimension, n, the batch, the workers or stability.twins), run fewer replicates at once (--jobs), or raise --max-memory");
    }

    /// <summary>
    /// Refuses synthetic data whose train or test matrix cannot be one array, before the law (O(d)) is built: the
    /// plan's other checks come after, in <see cref="Require"/>.
    /// </summary>
    public static void RequireSyntheticShape(Scenario scenario)
    {
        if (scenario.Data.Synthetic is not { } s) return;
        foreach (var (key, rows) in new[] { ("data.synthetic.n", s.N), ("data.synthetic.n-test", s.NTest) })
            if ((double)rows * s.Dimension > Array.MaxLength)
                throw new BadInputException($"{scenario.Origin}: {key} = {rows:N0} × data.synthetic.dimension = {s.Dimension:N0} is {(double)rows * s.Dimension:G3} values in one matrix, more than .NET's {Array.MaxLength:N0}; make one of them smaller");
    }

    /// <param name="scenario">The cell's own sweep point (a sweep may change the data's size).</param>
    static (double Features, double Classes, double SyntheticExamples, double LargestRows) Shape(Scenario scenario, Model.Engine.CellSpec spec)
    {
        if (scenario.Data.Synthetic is { } s) return (s.Dimension, 1, (double)s.N + s.NTest, Math.Max(s.N, s.NTest));
        // Files are already read by the plan: their split is in memory, and its shape is known.
        var train = spec.Data.Load(0).Train;
        return (train.FeatureCount, Math.Max(1, train.ClassCount), 0, 0);
    }

    static double Mlp(double features, double classes, IReadOnlyList<int> hidden)
    {
        var sizes = new[] { features }.Concat(hidden.Select(h => (double)h)).Append(classes).ToArray();
        return Enumerable.Range(0, sizes.Length - 1).Sum(i => sizes[i] * sizes[i + 1] + sizes[i + 1]);
    }

    static string Gib(double bytes) => bytes >= 1 << 30 ? $"{bytes / (1 << 30):0.#} GiB" : $"{bytes / (1 << 20):0} MiB";
}

using DelaySim.Model.Data;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.Engine;

/// <summary>
/// One replicate, ready to run: the data, the bound problem, the initial point and the K twin datasets S^(i_k).
/// Trajectory 0 trains on S; trajectory k ≥ 1 trains on <see cref="TrainSets"/>[k], which differs from S in row
/// <see cref="PerturbedIndices"/>[k − 1] only.
/// </summary>
public sealed class Replicate
{
    Replicate(CellSpec spec, ulong seed, DataSplit data, IProblem problem, Dataset[] trainSets, int[] perturbed, double[] w0)
    {
        Spec = spec;
        Seed = seed;
        Data = data;
        Problem = problem;
        TrainSets = trainSets;
        PerturbedIndices = perturbed;
        InitialParameters = w0;
    }

    public CellSpec Spec { get; }
    public ulong Seed { get; }
    public DataSplit Data { get; }
    public IProblem Problem { get; }
    public IReadOnlyList<Dataset> TrainSets { get; }
    public IReadOnlyList<int> PerturbedIndices { get; }
    public double[] InitialParameters { get; }
    public int Trajectories => TrainSets.Count;

    /// <summary>
    /// Set when this is trajectory k of another replicate, run alone (<see cref="Part"/>): its results carry raw
    /// checkpoint parameters, and for k ≥ 1 it draws its own delays.
    /// </summary>
    public int? PartIndex { get; private init; }

    public bool IsPart => PartIndex is not null;

    /// <summary>Appended to the names of the time domain's delay streams: "/twin/k" for twin k run alone, else "".</summary>
    public string DelaySuffix => PartIndex is > 0 ? $"/twin/{PartIndex}" : "";

    /// <summary>
    /// Trajectory <paramref name="k"/> alone, for time-domain twins with independent delays: the same initial point and
    /// sample streams, its own train set, delay streams "…/twin/k" for k ≥ 1, and for twins a budget of exactly
    /// <paramref name="steps"/> server steps (trajectory 0's), so that every trajectory ends at the same step.
    /// </summary>
    public Replicate Part(int k, long? steps = null)
    {
        if (k > 0 && steps is null) throw new ArgumentException("a twin runs exactly trajectory 0's number of steps", nameof(steps));
        var spec = steps is { } t ? Spec with { Iterations = checked((int)t), GradientBudget = long.MaxValue } : Spec;
        return new Replicate(spec, Seed, Data, Problem, [TrainSets[k]], [], InitialParameters)
        {
            PartIndex = k,
        };
    }

    /// <summary>Prepares a replicate from streams "init" and "twins" of <paramref name="seed"/>.</summary>
    public static Replicate Prepare(CellSpec spec, ulong seed)
    {
        var data = spec.Data.Load(seed);
        var train = data.Train;
        var problem = spec.Problem.Create(train.FeatureCount, train.ClassCount);
        var w0 = new double[problem.ParameterCount];
        problem.Initialize(Streams.For(seed, "init"), spec.InitSd, w0);

        if (spec.Twins > train.Count)
            throw new BadInputException($"stability.twins = {spec.Twins} exceeds the training set size {train.Count}");
        var rng = Streams.For(seed, "twins");
        var perturbed = DistinctIndices(rng, train.Count, spec.Twins);
        var sets = new Dataset[spec.Twins + 1];
        sets[0] = train;
        var row = new double[train.FeatureCount];
        for (var k = 0; k < spec.Twins; k++)
        {
            var label = spec.Data.DrawReplacement(data, perturbed[k], rng, row);
            sets[k + 1] = train.WithReplacedRow(perturbed[k], row, label);
        }
        return new Replicate(spec, seed, data, problem, sets, perturbed, w0);
    }

    static int[] DistinctIndices(Rng rng, int n, int k)
    {
        var chosen = new HashSet<int>();
        var result = new int[k];
        for (var j = 0; j < k; j++)
        {
            int i;
            do i = rng.NextIndex(n); while (!chosen.Add(i));
            result[j] = i;
        }
        return result;
    }
}

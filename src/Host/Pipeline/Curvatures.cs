using System.Runtime.CompilerServices;
using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.Problems;

namespace DelaySim.Host.Pipeline;

/// <summary>
/// λ_max of a cell's training Hessian (replicate 0's data), cached per loaded dataset object: cells that read the same
/// file share one value. Synthetic data is generated anew for every cell, so its λ_max is computed again per cell.
/// </summary>
internal static class Curvatures
{
    static readonly ConditionalWeakTable<Dataset, Dictionary<string, double>> Cache = new();

    public static double LargestEigenvalue(CellSpec spec, ulong replicateSeed)
    {
        var train = spec.Data.Load(replicateSeed).Train;
        var problem = spec.Problem.Create(train.FeatureCount, train.ClassCount);
        var byProblem = Cache.GetOrCreateValue(train);
        lock (byProblem)
        {
            if (!byProblem.TryGetValue(problem.Name, out var lambda))
                byProblem[problem.Name] = lambda = Curvature.LargestEigenvalue(problem, train);
            return lambda;
        }
    }
}

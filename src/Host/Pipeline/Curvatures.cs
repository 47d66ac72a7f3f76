using System.Runtime.CompilerServices;
using DelaySim.Model.Data;
using DelaySim.Model.Engine;
using DelaySim.Model.Problems;

namespace DelaySim.Host.Pipeline;

/// <summary>
/// λ_max of a cell's training Hessian (replicate 0's data), cached per dataset object: cells that share a data source
/// (every cell of a plan that reads the same file or draws from the same synthetic law) compute it once.
/// </summary>
internal static class Curvatures
{
    static readonly ConditionalWeakTable<Dataset, Dictionary<string, double>> Cache = new();

    public static double LargestEigenvalue(CellSpec spec, ulong replicateSeed)
    {
        var train = spec.Data.LoadTrain(replicateSeed);
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

using DelaySim.Model.Problems;

namespace DelaySim.Model.Engine;

/// <summary>The measurements, as pure functions of a replicate and its trajectories' parameters (index 0 = trained on S).</summary>
internal static class Evaluator
{
    /// <summary>The checkpoints of one replicate, evaluated together: the data is read once for all of them.</summary>
    public static Checkpoint[] Evaluate(Replicate replicate, IReadOnlyList<(long Iteration, double[][] Parameters)> checkpoints)
    {
        var problem = replicate.Problem;
        var mains = checkpoints.Select(c => (ReadOnlyMemory<double>)c.Parameters[0]).ToArray();
        var train = problem.MeanLosses(mains, replicate.Data.Train);
        var test = problem.MeanLosses(mains, replicate.Data.Test);
        return checkpoints.Select((c, v) => Measure(replicate, c.Iteration, c.Parameters, train[v], test[v])).ToArray();
    }

    static Checkpoint Measure(Replicate replicate, long iteration, double[][] w, double train, double test)
    {
        var main = w[0];
        var population = replicate.Data.Generator is { } generator && replicate.Problem is LeastSquares
            ? generator.PopulationRisk(main)
            : double.NaN;
        double l2 = double.NaN, l2Squared = double.NaN;
        if (w.Length > 1)
        {
            l2 = l2Squared = 0;
            for (var k = 1; k < w.Length; k++)
            {
                var distance = Kernels.Distance(main, w[k]);
                l2 += distance;
                l2Squared += distance * distance;
            }
            l2 /= w.Length - 1;
            l2Squared /= w.Length - 1;
        }
        return new Checkpoint(iteration, train, test, population, l2, l2Squared);
    }

    /// <summary>(1/K) Σ_k [f(w^(k); z_{i_k}) − f(w; z_{i_k})] with z_{i_k} the original sample the twin k never saw.</summary>
    public static double StabilityLoss(Replicate replicate, IReadOnlyList<ReadOnlyMemory<double>> w) => StabilityLoss(StabilityTerms(replicate, w));

    /// <summary>The mean of <see cref="StabilityTerms"/>, summed in twin order; NaN without twins.</summary>
    public static double StabilityLoss(double[] terms)
    {
        if (terms.Length == 0) return double.NaN;
        var sum = 0.0;
        foreach (var term in terms) sum += term;
        return sum / terms.Length;
    }

    /// <summary>Each twin's term f(w^(k); z_{i_k}) − f(w; z_{i_k}); their spread says how much more twins would help.</summary>
    public static double[] StabilityTerms(Replicate replicate, IReadOnlyList<ReadOnlyMemory<double>> w)
    {
        var train = replicate.Data.Train;
        var terms = new double[Math.Max(0, w.Count - 1)];
        for (var k = 1; k < w.Count; k++)
        {
            var i = replicate.PerturbedIndices[k - 1];
            terms[k - 1] = replicate.Problem.Loss(w[k].Span, train.Row(i), train.Label(i))
                         - replicate.Problem.Loss(w[0].Span, train.Row(i), train.Label(i));
        }
        return terms;
    }

    public static ReadOnlyMemory<double>[] AsMemory(double[][] parameters) => parameters.Select(p => (ReadOnlyMemory<double>)p).ToArray();
}

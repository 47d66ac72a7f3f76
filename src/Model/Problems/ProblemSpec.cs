namespace DelaySim.Model.Problems;

/// <summary>The losses DelaySim trains; scenarios name them in kebab case (<c>least-squares</c>, <c>linear-mse</c>, …).</summary>
public enum ProblemKind { LeastSquares, LinearMse, Logistic, Mlp }

/// <summary>Which loss to train, independent of the data it will meet; <see cref="Create"/> binds it to a dataset's shape.</summary>
public sealed record ProblemSpec(ProblemKind Kind, double L2 = 0, int[]? Hidden = null)
{
    public IProblem Create(int features, int classes) => Kind switch
    {
        ProblemKind.LeastSquares => new LeastSquares(features),
        ProblemKind.LinearMse => new LinearMse(features, Math.Max(classes, 2)),
        ProblemKind.Logistic => new Logistic(features, L2),
        ProblemKind.Mlp => new Mlp(features, Hidden ?? [64], Math.Max(classes, 2)),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown problem"),
    };
}

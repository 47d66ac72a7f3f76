namespace DelaySim.Model.Problems;

/// <summary>Which loss to train, independent of the data it will meet; <see cref="Create"/> binds it to a dataset's shape.</summary>
public sealed record ProblemSpec(string Kind, double L2 = 0, int[]? Hidden = null)
{
    public static readonly string[] Kinds = ["least-squares", "linear-mse", "logistic", "mlp"];

    public IProblem Create(int features, int classes) => Kind switch
    {
        "least-squares" => new LeastSquares(features),
        "linear-mse" => new LinearMse(features, Math.Max(classes, 2)),
        "logistic" => new Logistic(features, L2),
        "mlp" => new Mlp(features, Hidden ?? [64], Math.Max(classes, 2)),
        _ => throw new ArgumentException($"unknown problem '{Kind}' (expected one of {string.Join(", ", Kinds)})"),
    };
}

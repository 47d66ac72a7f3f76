using DelaySim.Model.Data;

namespace DelaySim.Model.Problems;

/// <summary>
/// λ_max of the empirical Hessian of a quadratic problem, and the stability limit of delayed gradient descent on it.
/// </summary>
public static class Curvature
{
    /// <summary>
    /// λ_max of ∇²F_S by power iteration (deterministic start vector, fixed iteration count): (1/n)XᵀX for least
    /// squares; (2/k)·(1/n)Σ[x;1][x;1]ᵀ for linear-mse (its Hessian is k identical blocks). NaN for non-quadratic losses.
    /// </summary>
    public static double LargestEigenvalue(IProblem problem, Dataset data, int iterations = 200)
    {
        var (bias, scale) = problem switch
        {
            LeastSquares => (false, 1.0),
            LinearMse m => (true, 2.0 / (m.ParameterCount / (data.FeatureCount + 1))),
            _ => (false, double.NaN),
        };
        if (double.IsNaN(scale)) return double.NaN;
        var d = data.FeatureCount + (bias ? 1 : 0);
        var v = Enumerable.Repeat(1 / Math.Sqrt(d), d).ToArray();
        var next = new double[d];
        var lambda = 0.0;
        for (var it = 0; it < iterations; it++)
        {
            Array.Clear(next);
            for (var i = 0; i < data.Count; i++)
            {
                var x = data.Row(i);
                var dot = Kernels.Dot(x, v) + (bias ? v[d - 1] : 0);
                Kernels.AddScaled(next.AsSpan(0, x.Length), dot / data.Count, x);
                if (bias) next[d - 1] += dot / data.Count;
            }
            lambda = Math.Sqrt(Kernels.Dot(next, next));
            if (lambda == 0) return 0;
            for (var j = 0; j < d; j++) v[j] = next[j] / lambda;
        }
        return scale * lambda;
    }

    /// <summary>
    /// The largest η·λ for which x_{t+1} = x_t − ηλ·x_{t−τ} is stable: 2 sin(π / (2(2τ + 1))).
    /// τ = 0 gives 2 (plain gradient descent); large τ gives about π / (2τ + 1).
    /// </summary>
    public static double StableStepTimesCurvature(int tau) => 2 * Math.Sin(Math.PI / (2 * (2 * tau + 1)));
}

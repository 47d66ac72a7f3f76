using System.Collections.Concurrent;
using MathNet.Numerics.Distributions;

namespace DelaySim.Model.Engine;

/// <summary>
/// The 0.975 quantile of Student's t, the factor of every 95 % interval here, kept per degrees of freedom. MathNet finds
/// it by a root search (about 40 µs), and a run asks for the same few values hundreds of times (a plot's bands ask once per
/// cell and checkpoint); the cached value is the same double.
/// </summary>
public static class TQuantile
{
    static readonly ConcurrentDictionary<int, double> Cache = new();

    public static double Of975(int degreesOfFreedom) =>
        Cache.GetOrAdd(degreesOfFreedom, static df => StudentT.InvCDF(0, 1, df, 0.975));
}

using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Engine;

namespace DelaySim.Tests.Support;

/// <summary>Small scenarios and replicates for tests.</summary>
public static class Scenarios
{
    public const string Small = """
        name = small
        seed = 11
        seeds = 2
        problem.kind = least-squares
        data.synthetic { n = 40, n-test = 200, dimension = 12, noise = 0.3, spectrum-decay = 1 }
        optimizer { eta = 0.05, iterations = 300, batch = 2 }
        delay { kind = fixed, tau = [0, 3, 7] }
        stability.twins = 3
        output.checkpoint-every = 50
        """;

    public static Scenario Parse(string text) => ScenarioReader.Parse(text, "test.hocon", Directory.GetCurrentDirectory());

    /// <summary>A replicate of the small scenario with the given delay kind and τ (or τ̂).</summary>
    public static Replicate Replicate(string kind, int tau, int twins = 3, ulong seed = 5, string sampling = "uniform")
    {
        var scenario = Parse(Small.Replace("kind = fixed, tau = [0, 3, 7]", $"kind = {kind}, tau = [{tau}]")
            .Replace("twins = 3", $"twins = {twins}")
            .Replace("batch = 2 }", $"batch = 2, sampling = {sampling} }}"));
        return DelaySim.Model.Engine.Replicate.Prepare(CellPlan.Build(scenario)[0].Spec, seed);
    }

    public static string TempFolder()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "delaysim-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

using DelaySim.Host.Scenarios;

namespace DelaySim.Tests.Support;

/// <summary>Small scenarios and replicates for tests.</summary>
internal static class Scenarios
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

    /// <summary>
    /// <paramref name="text"/> with <paramref name="find"/> replaced; a test that edits a scenario fails loudly when the
    /// text it edits is no longer there, instead of silently running the unedited scenario.
    /// </summary>
    public static string Edit(this string text, string find, string replace) =>
        text.Contains(find, StringComparison.Ordinal)
            ? text.Replace(find, replace, StringComparison.Ordinal)
            : throw new ArgumentException($"the scenario text has no '{find}' to replace");

    public static string TempFolder()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "delaysim-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

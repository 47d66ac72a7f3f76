using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using DelaySim.Host.Scenarios;

namespace DelaySim.Tests.Support;

/// <summary>
/// System.Text.Json's serializer with the options the scenario hash was defined with (kebab-case names and enums,
/// indented, relaxed escaping): the oracle <see cref="DelaySim.Host.Output.CanonicalJson"/> must match byte for byte.
/// </summary>
[JsonSerializable(typeof(Scenario))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext
{
    public static readonly ScenarioJsonContext Hashing = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    });

    public static string Serialize(Scenario scenario) => JsonSerializer.Serialize(scenario, Hashing.Scenario);
}

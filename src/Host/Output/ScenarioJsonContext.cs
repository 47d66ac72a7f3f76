using System.Text.Json.Serialization;
using DelaySim.Host.Scenarios;

namespace DelaySim.Host.Output;

/// <summary>
/// The scenario's serialization metadata, generated at build time (RunFolder passes its options): the same bytes as
/// reflection-based serialization (every shipped scenario keeps its hash), without the 0.1–0.2 s that building the
/// reflection metadata costs on every run.
/// </summary>
[JsonSerializable(typeof(Scenario))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;

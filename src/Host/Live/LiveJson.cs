using System.Text.Json.Serialization;

namespace DelaySim.Host.Live;

/// <summary>A live run's manifest.json: the run folder's keys, and how the run went (placement, clock offsets).</summary>
internal sealed record LiveManifest(
    string DelaysimVersion, int Format, string ScenarioHash, ulong MasterSeed, ulong ReplicateSeed, string Engine, string Stopped,
    int AppliedSteps, int LostWorkers, LiveSettings Live, IReadOnlyList<LivePlacement> Placement,
    // Worker clock − coordinator clock, from the probe with the shortest round trip (its half is the bound on the error).
    IReadOnlyList<LiveClockOffset> ClockOffsets);

/// <summary>The scenario's live block as the run used it.</summary>
internal sealed record LiveSettings(double TimeScale, IReadOnlyList<string> Inject, double MaxWall);

/// <summary>Incarnation <paramref name="Incarnation"/> of worker <paramref name="Worker"/> ran on <paramref name="Host"/>.</summary>
internal sealed record LivePlacement(int Worker, int Incarnation, string Host);

/// <summary>A host's clock offset against the coordinator, and the round trip of the probe that measured it.</summary>
internal sealed record LiveClockOffset(string Host, double OffsetSeconds, double RoundTripSeconds);

/// <summary>A live run's timings.json (snake-case keys, as a simulated run's).</summary>
internal sealed record LiveTimings(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("total_seconds")] double TotalSeconds,
    [property: JsonPropertyName("updates")] int Updates,
    [property: JsonPropertyName("updates_per_second")] double UpdatesPerSecond);

/// <summary>
/// The live folder's JSON contracts, generated at compile time (no reflection, so the native build writes them too):
/// indented, kebab-case keys, as the files were written before.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower)]
[JsonSerializable(typeof(LiveManifest))]
[JsonSerializable(typeof(LiveTimings))]
[JsonSerializable(typeof(string))]
internal sealed partial class LiveJson : JsonSerializerContext;

using System.Text.Json.Serialization;
using DelaySim.Host.Live;

namespace DelaySim.Host.Cluster;

/// <summary>
/// The JSON contracts of every <see cref="IClusterMessage"/>, generated at compile time: no reflection when a message
/// is written or read, so the same code runs in the JIT build and in the native (ahead-of-time) one, where the
/// reflection-based serializer is off. A test checks that every message type is listed here. Doubles may be NaN or
/// infinite (λ_max of a problem that is not a quadratic is NaN), written as JSON strings.
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RequestWork))]
[JsonSerializable(typeof(RunCell))]
[JsonSerializable(typeof(CellDone))]
[JsonSerializable(typeof(CellFailed))]
[JsonSerializable(typeof(NoWork))]
[JsonSerializable(typeof(WorkAvailable))]
[JsonSerializable(typeof(FigureCell))]
[JsonSerializable(typeof(DrawFigures))]
[JsonSerializable(typeof(FiguresDrawn))]
[JsonSerializable(typeof(FiguresFailed))]
[JsonSerializable(typeof(StartLiveWorkers))]
[JsonSerializable(typeof(LiveWorkersFailed))]
[JsonSerializable(typeof(LiveReady))]
[JsonSerializable(typeof(LiveClockPing))]
[JsonSerializable(typeof(LiveClockPong))]
[JsonSerializable(typeof(LiveSnapshot))]
[JsonSerializable(typeof(LiveGradient))]
[JsonSerializable(typeof(LiveStop))]
internal sealed partial class ClusterJson : JsonSerializerContext;

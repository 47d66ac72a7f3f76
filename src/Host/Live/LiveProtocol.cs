using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using DelaySim.Host.Cluster;

namespace DelaySim.Host.Live;

/// <summary>
/// Coordinator → runner: create live workers <paramref name="Workers"/> of the scenario whose exact text is
/// <paramref name="ScenarioText"/>, each reporting to the server actor at <paramref name="Server"/>.
/// <paramref name="Incarnation"/> counts re-creations after a lost node (0 for the first workers);
/// <paramref name="Fingerprint"/> is the coordinator's <see cref="LiveRun.Fingerprint"/>, which the runner's replicate must have.
/// </summary>
internal sealed record StartLiveWorkers(string RunId, string ScenarioText, string Origin, string BaseDirectory, int[] Workers, int Incarnation, string Server, string Fingerprint) : IClusterMessage;

/// <summary>Runner → server: the workers could not be created (bad input, or a node whose data or build differs); the error names the node.</summary>
internal sealed record LiveWorkersFailed(string RunId, string Error, bool BadInput) : IClusterMessage;

/// <summary>Worker → server: incarnation <paramref name="Incarnation"/> of worker <paramref name="Worker"/> is up on <paramref name="Host"/> (its sender is the worker actor).</summary>
internal sealed record LiveReady(string RunId, int Worker, int Incarnation, string Host) : IClusterMessage;

/// <summary>Server → worker: a clock probe sent at <paramref name="Sent"/> on the server's clock.</summary>
internal sealed record LiveClockPing(double Sent) : IClusterMessage;

/// <summary>Worker → server: the probe's answer, with the worker host's clock when it answered.</summary>
internal sealed record LiveClockPong(int Worker, double Sent, double WorkerClock) : IClusterMessage;

/// <summary>
/// Server → worker: w at <paramref name="Version"/>; the worker first sleeps <paramref name="InjectedDownlink"/> wall
/// seconds (the downlink model's delay when it is injected, else 0).
/// </summary>
internal sealed record LiveSnapshot(long Version, [property: JsonConverter(typeof(DoublesAsBase64))] double[] Parameters, double InjectedDownlink) : IClusterMessage;

/// <summary>
/// Worker → server: the gradient of the snapshot at <paramref name="Version"/> on <paramref name="Samples"/>; the
/// worker host's clock at pull (snapshot delivered, compute starts), when the gradient was ready, when the injected
/// compute sleep ended, and at send (after the injected uplink sleep); the injected sleeps in wall seconds, and the
/// model's compute and uplink draws in virtual seconds.
/// </summary>
internal sealed record LiveGradient(
    int Worker, long Version, [property: JsonConverter(typeof(DoublesAsBase64))] double[] Gradient, int[] Samples,
    double Pull, double Computed, double ComputeEnd, double Send,
    double InjectedDownlink, double InjectedCompute, double InjectedUplink, double ModelCompute, double ModelUplink) : IClusterMessage;

/// <summary>Server → worker: the run is over.</summary>
internal sealed record LiveStop(string RunId) : IClusterMessage;

/// <summary>
/// A double[] as base64 of its IEEE-754 bytes (little-endian): exact, and a third the size of decimal text, so a
/// gradient of d = 5,000 is a 53 kB message.
/// </summary>
internal sealed class DoublesAsBase64 : JsonConverter<double[]>
{
    public override double[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var bytes = reader.GetBytesFromBase64();
        if (bytes.Length % sizeof(double) != 0) throw new JsonException($"{bytes.Length} bytes are not a whole number of doubles");
        return MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }

    public override void Write(Utf8JsonWriter writer, double[] value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(MemoryMarshal.AsBytes(value.AsSpan()));
}

/// <summary>The host's monotonic clock in seconds (CLOCK_MONOTONIC on Linux: one origin for every process of a machine).</summary>
internal static class LiveClock
{
    public static double Now => System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;

    /// <summary>
    /// Blocks until <paramref name="seconds"/> have passed: a thread sleep for all but the last 2 ms, then a spin, so a
    /// 1 ms delay is not rounded up to the timer's tick. Returns the seconds actually slept.
    /// </summary>
    public static double Sleep(double seconds)
    {
        var start = Now;
        if (!(seconds > 0)) return 0;
        var deadline = start + seconds;
        if (seconds > 0.002) Thread.Sleep(TimeSpan.FromSeconds(seconds - 0.002));
        var spin = new SpinWait();
        while (Now < deadline) spin.SpinOnce(sleep1Threshold: -1);
        return Now - start;
    }
}

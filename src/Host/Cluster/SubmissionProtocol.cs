using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DelaySim.Host.Cluster;

// The messages between `run --submit` and a node's submission door (`delaysim node --accept-runs`): one JSON object a
// line over a plain TCP connection, with a "type" field. The client needs no ActorSystem (Akka's remoting took 20-40 ms
// to start in every submitted run), binds no port, and any program that writes a line of JSON can submit a run. The
// format is in docs/CLUSTER.md; SubmissionWire.Protocol changes whenever it does.

/// <summary>A line of the submission protocol.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SubmitRun), "submit")]
[JsonDerivedType(typeof(RunQueued), "queued")]
[JsonDerivedType(typeof(RunLog), "log")]
[JsonDerivedType(typeof(RunOutput), "output")]
[JsonDerivedType(typeof(RunEnded), "ended")]
internal abstract record SubmissionMessage;

/// <summary>
/// Client → node, the first and only line it sends: run this scenario (its exact text) into <paramref name="Folder"/>,
/// an absolute path on the node's file system. <paramref name="Width"/> is the client's terminal width, for the table.
/// Closing the connection before <see cref="RunEnded"/> means the client stopped waiting; the run goes on.
/// </summary>
internal sealed record SubmitRun(int Protocol, string ScenarioText, string Origin, string BaseDirectory, string Folder, string Engine, bool Force, int Width,
    long? MaxMemory = null) : SubmissionMessage;

/// <summary>Node → client: the run is queued behind <paramref name="Ahead"/> others (0: it starts now) on the node at <paramref name="Node"/>.</summary>
internal sealed record RunQueued(int Ahead, string Node) : SubmissionMessage;

/// <summary>Node → client: one of the run's log lines, rendered, at Serilog level <paramref name="Level"/>.</summary>
internal sealed record RunLog(int Level, string Text) : SubmissionMessage;

/// <summary>Node → client: console output of the run (the results table), to print as it is.</summary>
internal sealed record RunOutput(string Text) : SubmissionMessage;

/// <summary>Node → client, the last line: the exit code a local run would have ended with, and its error if any.</summary>
internal sealed record RunEnded(int ExitCode, string? Error = null) : SubmissionMessage;

// Keys in any order ("type" too), and a line without a required field, or with null where the record allows none, is
// refused by name rather than read as null.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowOutOfOrderMetadataProperties = true,
    RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SubmissionMessage))]
internal sealed partial class SubmissionJson : JsonSerializerContext;

/// <summary>Writing and reading the protocol's lines.</summary>
internal static class SubmissionWire
{
    /// <summary>The protocol's version, which a client sends in <see cref="SubmitRun"/>; a node refuses any other.</summary>
    public const int Protocol = 1;

    /// <summary>A node's door when <c>--runs-port</c> is not given, and a client's when the address names no port.</summary>
    public const int DefaultPort = 4052;

    /// <summary>The longest line either side reads, in characters (a scenario's text is a few kB; a results table's output less).</summary>
    public const int MaxLine = 4 << 20;

    /// <summary>One message as a line of UTF-8 JSON, newline included (JSON escapes every newline inside strings).</summary>
    public static byte[] Line(SubmissionMessage message)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(message, SubmissionJson.Default.SubmissionMessage);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>A line read back, or null when it is not a message of this protocol.</summary>
    public static SubmissionMessage? Read(string line) => Read(line, out _);

    /// <summary>A line read back, or null and what is wrong with it.</summary>
    public static SubmissionMessage? Read(string line, out string? error)
    {
        try
        {
            error = null;
            return JsonSerializer.Deserialize(line, SubmissionJson.Default.SubmissionMessage) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            error = e.Message;
            return null;
        }
    }
}

/// <summary>Lines from a stream, each at most <paramref name="maxChars"/> long, so a peer cannot fill the memory.</summary>
internal sealed class LineReader(Stream stream, int maxChars)
{
    readonly StreamReader _reader = new(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 16 << 10, leaveOpen: true);
    readonly char[] _chunk = new char[16 << 10];
    int _at, _count;

    /// <summary>The next line without its newline; null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancel = default)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_at == _count)
            {
                (_at, _count) = (0, await _reader.ReadAsync(_chunk, cancel));
                if (_count == 0) return line.Length == 0 ? null : throw new InvalidDataException("the connection closed in the middle of a line");
            }
            var newline = Array.IndexOf(_chunk, '\n', _at, _count - _at);
            var end = newline < 0 ? _count : newline;
            line.Append(_chunk, _at, end - _at);
            _at = newline < 0 ? _count : newline + 1;
            if (line.Length > maxChars) throw new InvalidDataException($"a line longer than {maxChars} characters");
            if (newline >= 0) return line.ToString();
        }
    }
}

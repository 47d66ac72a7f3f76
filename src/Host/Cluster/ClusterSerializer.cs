using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;

namespace DelaySim.Host.Cluster;

/// <summary>
/// JSON for the cluster messages, with the type name as manifest. It knows only the <see cref="IClusterMessage"/> types
/// of <see cref="ClusterJson"/>, so a node refuses anything else a peer might send. Large cells travel as one frame;
/// config/akka.hocon sizes the frame.
/// </summary>
internal sealed class ClusterSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The contract of each message type, by the type's name (the manifest). A test checks it lists every one.</summary>
    internal static readonly Dictionary<string, JsonTypeInfo> Contracts = new JsonTypeInfo[]
    {
        ClusterJson.Default.RequestWork, ClusterJson.Default.RunCell, ClusterJson.Default.CellDone, ClusterJson.Default.CellFailed,
        ClusterJson.Default.NoWork, ClusterJson.Default.WorkAvailable,
        ClusterJson.Default.FigureCell, ClusterJson.Default.DrawFigures, ClusterJson.Default.FiguresDrawn, ClusterJson.Default.FiguresFailed,
        ClusterJson.Default.StartLiveWorkers, ClusterJson.Default.LiveWorkersFailed, ClusterJson.Default.LiveReady,
        ClusterJson.Default.LiveClockPing, ClusterJson.Default.LiveClockPong, ClusterJson.Default.LiveSnapshot,
        ClusterJson.Default.LiveGradient, ClusterJson.Default.LiveStop,
    }.ToDictionary(c => c.Type.Name);

    public override int Identifier => 4711;

    public override string Manifest(object o) => o.GetType().Name;

    public override byte[] ToBinary(object obj) =>
        obj is IClusterMessage && Contracts.TryGetValue(obj.GetType().Name, out var contract) && contract.Type == obj.GetType()
            ? JsonSerializer.SerializeToUtf8Bytes(obj, contract)
            : throw new ArgumentException($"DelaySim's cluster serializer does not send {obj.GetType()}");

    public override object FromBinary(byte[] bytes, string manifest) =>
        Contracts.TryGetValue(manifest, out var contract)
            ? JsonSerializer.Deserialize(bytes, contract)!
            : throw new System.Runtime.Serialization.SerializationException($"DelaySim's cluster serializer refuses unknown message type '{manifest}'");
}

using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace DelaySim.Host.Cluster;

/// <summary>
/// JSON for the cluster messages, with the type name as manifest. It knows only <see cref="IClusterMessage"/> types, so a
/// node refuses anything else a peer might send. Large cells travel as one frame; config/akka.hocon sizes the frame.
/// </summary>
internal sealed class ClusterSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    static readonly Dictionary<string, Type> Types = typeof(IClusterMessage).Assembly.GetTypes()
        .Where(t => typeof(IClusterMessage).IsAssignableFrom(t) && !t.IsInterface)
        .ToDictionary(t => t.Name);

    public override int Identifier => 4711;

    public override string Manifest(object o) => o.GetType().Name;

    public override byte[] ToBinary(object obj) =>
        obj is IClusterMessage ? Encoding.UTF8.GetBytes(JsonSerializer.Serialize(obj, obj.GetType()))
            : throw new ArgumentException($"DelaySim's cluster serializer does not send {obj.GetType()}");

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type)!
            : throw new System.Runtime.Serialization.SerializationException($"DelaySim's cluster serializer refuses unknown message type '{manifest}'");
}

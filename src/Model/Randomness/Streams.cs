using System.Text;

namespace DelaySim.Model.Randomness;

/// <summary>
/// Per-component random streams derived from one master seed. A stream's seed is
/// SplitMix64(masterSeed XOR FNV-1a-64(component name)), so each component ("samples", "delay", "worker/3",
/// "twins", ...) gets its own independent sequence, and adding a component never shifts another one's draws.
/// </summary>
public static class Streams
{
    public static Rng For(ulong masterSeed, string component) => new(SeedFor(masterSeed, component));

    public static ulong SeedFor(ulong masterSeed, string component)
    {
        var state = masterSeed ^ Fnv1a(component);
        return SplitMix64.Next(ref state);
    }

    /// <summary>The master seed of replicate <paramref name="replicate"/> of a run whose master seed is given.</summary>
    public static ulong Replicate(ulong masterSeed, int replicate) => SeedFor(masterSeed, $"replicate/{replicate}");

    static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}

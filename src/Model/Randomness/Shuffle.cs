namespace DelaySim.Model.Randomness;

/// <summary>Fisher–Yates, from the last position down, j = NextIndex(i + 1): the one shuffle every component uses.</summary>
internal static class Shuffle
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InPlace(Span<int> items, Rng rng)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = rng.NextIndex(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

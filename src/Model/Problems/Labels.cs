namespace DelaySim.Model.Problems;

/// <summary>How classification losses read a label: binary ±1 (or 0/1) as classes 0/1, otherwise the class index.</summary>
public static class Labels
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ClassOf(double y, int classes) => classes == 2 && y is -1.0 or 1.0 ? (y > 0 ? 1 : 0) : (int)y;
}

using System.Text.RegularExpressions;

namespace DelaySim.Host.Plots;

/// <summary>
/// SVG output whose bytes depend on the plot alone. Skia names each clip path from a counter it keeps for the whole
/// process (<c>cl_4</c>, <c>cl_5</c>, … and on from there in the next file), so a file's ids depended on what had been
/// drawn before it in the process: the warm-up on a spare core (two-core machines), an earlier plot. The ids are
/// renumbered in order of first use, the same in every file.
/// </summary>
internal static partial class SvgFile
{
    /// <summary>The document with its clip-path ids numbered 1, 2, … (hexadecimal, as Skia writes them) in order of first use.</summary>
    internal static string WithLocalIds(string svg)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, match =>
        {
            var old = match.Groups["id"].Value;
            if (!ids.TryGetValue(old, out var local)) ids[old] = local = (ids.Count + 1).ToString("x");
            return match.Groups["before"].Value + local;
        });
    }

    // Only where Skia writes an id: the definition and the references, never text inside the plot (a label, a cell name).
    [GeneratedRegex("""(?<before>id="cl_|url\(#cl_)(?<id>[0-9a-f]+)(?=[")])""")]
    private static partial Regex ClipId();
}

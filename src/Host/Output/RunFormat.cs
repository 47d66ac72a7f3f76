namespace DelaySim.Host.Output;

/// <summary>
/// The layout of a run folder's deterministic files, written to manifest.json as <c>"format"</c> (absent before
/// format 2). Format 2 (2026-12-02) names sweep cells without a delay part that says nothing (<c>uplink=bursty</c>,
/// not <c>uplink=bursty;time</c>), names swept keys by their shortest unambiguous suffix, starts summary.csv with one
/// column per swept key and lays out contrasts.csv as <c>dimension,cell,baseline,metric,…</c>. A folder is verified
/// and resumed in its own format, so runs made before a change keep verifying byte for byte.
/// </summary>
internal static class RunFormat
{
    public const int Current = 2;

    /// <summary>Folders whose manifest has no <c>"format"</c>: written before formats were numbered.</summary>
    public const int Unnumbered = 1;

    /// <summary>The format of the run folder whose manifest is <paramref name="manifest"/>, or null when there is no manifest.</summary>
    public static int? Of(string manifest)
    {
        if (!File.Exists(manifest)) return null;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
            if (json.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
            if (!json.RootElement.TryGetProperty("format", out var f)) return Unnumbered;
            return f.ValueKind == System.Text.Json.JsonValueKind.Number && f.TryGetInt32(out var n) ? n : null; // damaged: RunFolderGuard's to report
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a damaged manifest is RunFolderGuard's to report
        }
    }
}

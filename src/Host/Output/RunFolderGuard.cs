using System.Text.Json;
using DelaySim.Host.Scenarios;
using DelaySim.Model;

namespace DelaySim.Host.Output;

/// <summary>
/// The run folder is a guarded resource: DelaySim writes only into a new folder, an empty one, or one whose manifest is
/// its own for the same scenario (to resume). Anything else is exit 2 naming what is in the way, and nothing in the
/// folder is touched. <c>--force</c> deletes the files a run writes (and only those) and starts over.
/// </summary>
internal static class RunFolderGuard
{
    /// <summary>Every entry a run writes; <c>--force</c> removes these, with their <c>.tmp</c> siblings, and nothing else.</summary>
    public static readonly string[] Entries =
    [
        "manifest.json", "source.json", "scenario.hocon", "summary.csv", "metrics.csv", "staleness.csv", "staleness_histogram.csv",
        "theory.csv", "contrasts.csv", "timings.json", "report.html", "cells", "plots",
    ];

    public static void Prepare(string folder, Scenario scenario, bool force)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new BadInputException("--out '': expected a folder path");
        string full;
        try
        {
            full = Path.GetFullPath(folder);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new BadInputException($"--out {folder}: not a usable path ({e.Message})");
        }
        if (File.Exists(full)) throw new BadInputException($"--out {folder}: is a file; expected a folder (a new one, an empty one, or an earlier run of this scenario)");
        if (Directory.Exists(full))
        {
            // A recording cannot be made again, so not even --force deletes it.
            if (IsLive(full)) throw new BadInputException($"--out {folder}: holds a live run's recording (engine live), which a simulation never overwrites, not even with --force; nothing was changed. Choose another --out folder");
            if (!force) CheckOwn(folder, full, scenario);
            else if (!Path.Exists(Path.Combine(full, "manifest.json")) && Directory.EnumerateFileSystemEntries(full).Any())
                // A folder without a manifest may be anyone's (a project's own plots/): --force starts over only a run folder.
                throw new BadInputException($"--out {folder}: --force starts over only a DelaySim run folder (one with a manifest.json), and this one has none; choose an empty or new folder");
            else Clear(full);
        }
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, ".delaysim-write-probe");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"--out {folder}: cannot write there ({e.Message})");
        }
    }

    static void CheckOwn(string folder, string full, Scenario scenario)
    {
        var manifest = Path.Combine(full, "manifest.json");
        if (Directory.Exists(manifest)) throw Refuse(folder, "its manifest.json is a folder, not a DelaySim manifest");
        if (!File.Exists(manifest))
        {
            var entries = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).Where(n => n != "manifest.json.tmp").Order(StringComparer.Ordinal).ToArray();
            if (entries.Length == 0) return;
            var shown = string.Join(", ", entries.Take(4)) + (entries.Length > 4 ? $" and {entries.Length - 4} more" : "");
            throw Refuse(folder, $"is not empty and has no DelaySim manifest (it holds {shown})");
        }
        var hash = ManifestHash(manifest) ?? throw Refuse(folder, $"{Path.Combine(folder, "manifest.json")} is not a DelaySim manifest (expected a JSON object with a \"scenario-hash\" string)");
        if (hash != RunFolder.Hash(scenario))
            throw Refuse(folder, $"holds the results of another scenario (hash {hash[..Math.Min(12, hash.Length)]})");
    }

    /// <summary>The folder holds a <c>delaysim live</c> recording (manifest engine "live").</summary>
    public static bool IsLive(string folder)
    {
        var manifest = Path.Combine(folder, "manifest.json");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("engine", out var e)
                && e.ValueKind == JsonValueKind.String && e.GetString() == "live";
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>For commands that read simulation folders: a live folder is refused with what to do instead.</summary>
    public static void RefuseLive(string folder, string command)
    {
        if (IsLive(folder))
            throw new BadInputException($"{folder}: a live run's folder; {command} reads simulation folders. Its timing cannot be rerun: replay it with `delaysim run {Path.Combine(folder, "replay.hocon")}` and use the replay's folder (its trajectory 0 equals the live run's metrics.csv)");
    }

    /// <summary>The manifest's scenario hash, or null when the file is not a manifest (not JSON, not an object, no hash string).</summary>
    public static string? ManifestHash(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("scenario-hash", out var h) && h.ValueKind == JsonValueKind.String
                ? h.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: cannot be read ({e.Message})", e);
        }
    }

    /// <summary>The string <paramref name="key"/> of the JSON object in <paramref name="path"/>, or exit 2 naming the file.</summary>
    public static string ReadString(string path, params string[] key)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var element = document.RootElement;
            foreach (var k in key)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(k, out element)) element = default;
                if (element.ValueKind == JsonValueKind.Undefined) break;
            }
            return element.ValueKind == JsonValueKind.String
                ? element.GetString()!
                : throw new BadInputException($"{path}: expected a JSON object with the string \"{string.Join('.', key)}\" (a file DelaySim wrote); is the run folder damaged?");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: unreadable ({e.Message}); is the run folder damaged?", e);
        }
    }

    static BadInputException Refuse(string folder, string what) =>
        new($"--out {folder}: {what}; nothing was changed. Choose another --out folder, or add --force to delete the files a run writes there and start over");

    static void Clear(string full)
    {
        foreach (var name in Entries.SelectMany(e => new[] { e, e + ".tmp" }))
        {
            var path = Path.Combine(full, name);
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                else if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BadInputException($"--force: cannot delete {path} ({e.Message})", e);
            }
        }
    }
}

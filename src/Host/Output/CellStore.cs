using System.Text.Json;
using DelaySim.Model;
using DelaySim.Model.Engine;

namespace DelaySim.Host.Output;

/// <summary>
/// Finished cells of a run, one file each in <c>cells/</c>, written atomically (temporary file, then rename) the moment
/// a cell ends. Rerunning the same scenario into the folder reads them back instead of running them again, so a run
/// killed at any moment resumes and ends with the same files as an uninterrupted one. Doubles are written in shortest
/// round-trip form, so a cell read back is bit-identical to the cell that was run.
/// </summary>
internal sealed class CellStore(string folder)
{
    string Folder => Path.Combine(folder, "cells");

    string PathOf(int index, string cell)
    {
        var safe = new string(cell.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '=' ? c : '_').ToArray());
        return Path.Combine(Folder, $"{index:D4}-{safe}.json");
    }

    public IReadOnlyList<ReplicateResult>? TryLoad(int index, string cell)
    {
        var path = PathOf(index, cell);
        if (!File.Exists(path)) return null;
        try
        {
            return Deserialize(File.ReadAllText(path), cell);
        }
        catch (JsonException e)
        {
            // Files are renamed into place whole, so this is damage from outside: say so, and never overwrite it.
            throw new BadInputException($"{path}: unreadable cell results ({e.Message}); move the file away to run that cell again, or rerun with --force to start the folder over", e);
        }
    }

    public void Save(int index, string cell, IReadOnlyList<ReplicateResult> replicates) => SaveJson(index, cell, Serialize(cell, replicates));

    /// <summary>Stores a cell already serialized (e.g. received from a cluster runner) as its file.</summary>
    public void SaveJson(int index, string cell, string json)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.Write(PathOf(index, cell), json);
    }

    /// <summary>A cell's replicates as JSON: everything the run folder's files need, doubles in round-trip form.</summary>
    public static string Serialize(string cell, IReadOnlyList<ReplicateResult> replicates) => CellJson.Write(cell, replicates);

    /// <summary>The replicates of <paramref name="cell"/> back from <see cref="Serialize"/>'s JSON (final parameters are not kept).</summary>
    public static IReadOnlyList<ReplicateResult> Deserialize(string json, string cell)
    {
        var (name, replicates) = CellJson.Read(json);
        if (name != cell) throw new JsonException($"the file holds cell '{name}', not '{cell}'");
        return replicates;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using DelaySim.Model;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Host.Output;

/// <summary>
/// Finished cells of a run, one file each in <c>cells/</c>, written atomically (temporary file, then rename) the moment
/// a cell ends. Rerunning the same scenario into the folder reads them back instead of running them again, so a run
/// killed at any moment resumes and ends with the same files as an uninterrupted one. Doubles are written in shortest
/// round-trip form, so a cell read back is bit-identical to the cell that was run.
/// </summary>
internal sealed class CellStore(string folder)
{
    static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

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
    public static string Serialize(string cell, IReadOnlyList<ReplicateResult> replicates) =>
        JsonSerializer.Serialize(new CellFile(cell, replicates.Select(r => new ReplicateRecord(r.Index, r.Seed,
            r.Checkpoints.Select(c => new CheckpointRecord(c.Iteration, c.TrainLoss, c.TestLoss, c.PopulationRisk, c.TwinL2, c.TwinL2Squared)).ToArray(),
            r.StabilityLoss, r.StalenessCounts,
            r.Workers?.Select(w => new WorkerRecord(w.Updates, w.StalenessCounts, w.ComputeSum, w.UplinkSum, w.DownlinkSum, w.Downlinks)).ToArray())).ToArray()), Json);

    /// <summary>The replicates of <paramref name="cell"/> back from <see cref="Serialize"/>'s JSON (final parameters are not kept).</summary>
    public static IReadOnlyList<ReplicateResult> Deserialize(string json, string cell)
    {
        var file = JsonSerializer.Deserialize<CellFile>(json, Json) ?? throw new JsonException("empty cell file");
        if (file.Cell != cell) throw new JsonException($"the file holds cell '{file.Cell}', not '{cell}'");
        return file.Replicates.Select(r => new ReplicateResult(r.Index, r.Seed,
            r.Checkpoints.Select(c => new Checkpoint(c.Iteration, c.Train, c.Test, c.Population, c.TwinL2, c.TwinL2Squared)).ToArray(),
            r.StabilityLoss, r.Staleness, [])
        {
            Workers = r.Workers?.Select(w => WorkerStats.Restore(w.Updates, w.Staleness, w.Compute, w.Uplink, w.Downlink, w.Downlinks)).ToArray(),
        }).ToArray();
    }

    sealed record CellFile(string Cell, ReplicateRecord[] Replicates);
    sealed record ReplicateRecord(int Index, ulong Seed, CheckpointRecord[] Checkpoints, double StabilityLoss, long[] Staleness, WorkerRecord[]? Workers);
    sealed record CheckpointRecord(long Iteration, double Train, double Test, double Population, double TwinL2, double TwinL2Squared);
    sealed record WorkerRecord(long Updates, long[] Staleness, double Compute, double Uplink, double Downlink, long Downlinks);
}

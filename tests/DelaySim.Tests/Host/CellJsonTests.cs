using System.Text.Json;
using System.Text.Json.Serialization;
using DelaySim.Host.Output;
using DelaySim.Model.Engine;
using DelaySim.Model.TimeDomain;

namespace DelaySim.Tests.Host;

/// <summary>
/// The hand-written cell JSON against the oracle it replaced: System.Text.Json's reflection serializer over the records
/// the cell files were first written from. Same bytes, and every cell reads back bit for bit.
/// </summary>
public class CellJsonTests
{
    // The records and options cell files were written with before CellJson (kept here as the format's definition).
    sealed record CellFile(string Cell, ReplicateRecord[] Replicates);
    sealed record ReplicateRecord(int Index, ulong Seed, CheckpointRecord[] Checkpoints, double StabilityLoss, long[] Staleness, WorkerRecord[]? Workers);
    sealed record CheckpointRecord(long Iteration, double Train, double Test, double Population, double TwinL2, double TwinL2Squared);
    sealed record WorkerRecord(long Updates, long[] Staleness, double Compute, double Uplink, double Downlink, long Downlinks);

    static readonly JsonSerializerOptions Oracle = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    static string OracleJson(string cell, IReadOnlyList<ReplicateResult> replicates) =>
        JsonSerializer.Serialize(new CellFile(cell, replicates.Select(r => new ReplicateRecord(r.Index, r.Seed,
            r.Checkpoints.Select(c => new CheckpointRecord(c.Iteration, c.TrainLoss, c.TestLoss, c.PopulationRisk, c.TwinL2, c.TwinL2Squared)).ToArray(),
            r.StabilityLoss, r.StalenessCounts,
            r.Workers?.Select(w => new WorkerRecord(w.Updates, w.StalenessCounts, w.ComputeSum, w.UplinkSum, w.DownlinkSum, w.Downlinks)).ToArray())).ToArray()), Oracle);

    static readonly double[] Special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, double.MaxValue, 0.1, 1e-300];

    static ReplicateResult[] Cell(int seed, bool workers)
    {
        var random = new Random(seed);
        double D() => random.Next(4) == 0 ? Special[random.Next(Special.Length)] : BitConverter.Int64BitsToDouble(random.NextInt64()) is var x && double.IsFinite(x) ? x : random.NextDouble();
        long[] Counts() => Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.NextInt64(0, long.MaxValue)).ToArray();
        return Enumerable.Range(0, random.Next(1, 4)).Select(i => new ReplicateResult(i, (ulong)random.NextInt64() * 2 + 1,
            Enumerable.Range(0, random.Next(1, 5)).Select(c => new Checkpoint(random.NextInt64(), D(), D(), D(), D(), D())).ToArray(),
            D(), Counts(), [])
        {
            Workers = workers ? Enumerable.Range(0, random.Next(0, 3)).Select(_ => WorkerStats.Restore(random.NextInt64(), Counts(), D(), D(), D(), random.NextInt64())).ToArray() : null,
        }).ToArray();
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Cells_are_written_as_the_serializer_wrote_them_and_read_back_bit_for_bit(int seed, bool workers)
    {
        var cell = new[] { "fixed-tau4", "eta=0.03;schedule=constant", "ünïcode \"quoted\" \\ <tag> & +" }[Math.Abs(seed % 3)];
        var replicates = Cell(seed, workers);
        var json = CellJson.Write(cell, replicates);
        var (name, back) = CellJson.Read(json);
        return json == OracleJson(cell, replicates) && name == cell && CellJson.Write(name, back) == json;
    }

    /// <summary>A cluster run writes a cell from the JSON of its parts (seed ranges run on different nodes).</summary>
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool A_cell_put_together_from_its_parts_is_the_cell_written_whole(int seed, bool workers, byte cut)
    {
        var cell = new[] { "fixed-tau4", "ünïcode \"quoted\" \\ <tag> & +" }[Math.Abs(seed % 2)];
        var replicates = Cell(seed, workers).Concat(Cell(seed + 1, workers)).ToArray();
        var at = cut % (replicates.Length + 1);   // an empty first or last part included
        var parts = new[] { CellJson.Write(cell, replicates[..at]), CellJson.Write(cell, replicates[at..]) };
        return CellJson.Concat(cell, parts) == CellJson.Write(cell, replicates) && CellJson.Concat(cell, [parts[0]]) == parts[0];
    }

    [Fact]
    public void Parts_of_another_cell_are_refused()
    {
        var part = CellJson.Write("a", Cell(1, false));
        Assert.Throws<ArgumentException>(() => CellJson.Concat("b", [part]));
    }

    [Fact]
    public void Non_finite_values_are_the_named_literals_and_a_time_domain_cell_keeps_its_workers()
    {
        var replicates = new[]
        {
            new ReplicateResult(0, 7, [new Checkpoint(10, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.5, -0.0)], 1.25, [3, 0, 1], [])
            {
                Workers = [WorkerStats.Restore(4, [1, 3], 2.5, double.NaN, 0.125, 4)],
            },
        };
        var json = CellJson.Write("c", replicates);
        Assert.Contains("\"Train\":\"NaN\",\"Test\":\"Infinity\",\"Population\":\"-Infinity\"", json);
        var back = CellJson.Read(json).Replicates.Single();
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(back.Final.TwinL2Squared));
        var worker = Assert.Single(back.Workers!);
        Assert.Equal((4L, 2.5, 0.125, 4L), (worker.Updates, worker.ComputeSum, worker.DownlinkSum, worker.Downlinks));
        Assert.Equal([1, 3], worker.StalenessCounts);
        Assert.True(double.IsNaN(worker.UplinkSum));
    }

    [Theory]
    [InlineData("garbage", "")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"Replicates\":[]}", "'Cell' is missing")]
    [InlineData("{\"Cell\":\"c\",\"Replicates\":{}}", "an array was expected")]
    [InlineData("{\"Cell\":\"c\",\"Replicates\":[{\"Index\":0,\"Seed\":1,\"Checkpoints\":[],\"StabilityLoss\":\"nan\",\"Staleness\":[]}]}", "'nan' is not a number")]
    [InlineData("{\"Cell\":\"c\",\"Replicates\":[{\"Index\":0,\"Seed\":-1,\"Checkpoints\":[],\"StabilityLoss\":0,\"Staleness\":[]}]}", "")]
    [InlineData("{\"Cell\":\"c\",\"Replicates\":[{\"Index\":0,\"Seed\":1,\"Checkpoints\":[{\"Iteration\":1}],\"StabilityLoss\":0,\"Staleness\":[]}]}", "'Train' is missing")]
    public void A_damaged_cell_file_is_a_json_error_that_says_what_is_wrong(string json, string message)
    {
        var error = Assert.ThrowsAny<JsonException>(() => CellJson.Read(json));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("quote \" backslash \\ tab \t newline \n")]
    [InlineData("<script>&'+")]
    [InlineData("ünïcode ✓ \u0001")]
    public void Quoted_strings_are_the_serializers(string value) =>
        Assert.Equal(JsonSerializer.Serialize(value), JsonText.Quote(value));
}

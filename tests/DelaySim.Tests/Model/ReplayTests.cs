using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;
using DelaySim.Model.TimeDomain;
using DelaySim.Model.Updates;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

/// <summary>
/// The contract behind <c>delaysim live</c>'s replay.hocon: a time server fed gradients in any arrival order, recorded
/// as (version, samples) per step, is repeated to the bit by the staleness domain replaying that recording.
/// </summary>
public sealed class ReplayTests
{
    const int Workers = 4;

    /// <summary>
    /// Drives a time server as the live server does, with an arrival order drawn from <paramref name="orderSeed"/>
    /// instead of the network's: each step, one of the workers holding a snapshot delivers its gradient.
    /// </summary>
    static (List<(long Iteration, string Hash)> Checkpoints, int[] Taus, int[] Samples) Live(CellSpec staleness, UpdateRule rule, int orderSeed)
    {
        var constant = new IidModel(new ConstantDelay(0));
        var spec = staleness with
        {
            Twins = 0,
            Rule = rule,
            Time = new TimeDomainSpec(Workers, ApplyPolicy.Each, DataPlacement.Shared, constant, constant, constant, "live"),
        };
        var replicate = Replicate.Prepare(spec, 5);
        var server = new TimeServer(replicate);
        var workers = TimeWorker.CreateAll(replicate);
        var held = server.Begin(0).Select(o => (Snapshot)o.Payload).ToList();
        var order = new Random(orderSeed);
        var (taus, samples, checkpoints) = (new List<int>(), new List<int>(), new List<(long, string)>());
        Record(server, checkpoints);
        while (!server.Finished)
        {
            var snapshot = held[order.Next(held.Count)];
            held.Remove(snapshot);
            var arrival = (GradientArrival)workers[snapshot.Worker].Handle(0, snapshot).Payload;
            taus.Add((int)(server.Version - snapshot.Version));
            samples.AddRange(workers[snapshot.Worker].LastBatch.ToArray());
            held.AddRange(server.Handle(0, arrival).Select(o => (Snapshot)o.Payload));
            Record(server, checkpoints);
        }
        return (checkpoints, taus.ToArray(), samples.ToArray());
    }

    static void Record(TimeServer server, List<(long, string)> into) =>
        into.AddRange(server.TakeCheckpoints().Select(c => (c.Iteration, DelaySim.Host.Live.LiveServerActor.Hash(c.Parameters[0]))));

    public static TheoryData<string> Rules => ["plain", "delay-adaptive", "staleness-weighted", "momentum", "delay-compensated"];

    static UpdateRule RuleNamed(string name) => name switch
    {
        "delay-adaptive" => new DelayAdaptiveUpdate(2),
        "staleness-weighted" => new StalenessWeightedUpdate(StalenessWeight.Polynomial, 0.5, 0),
        "momentum" => new MomentumUpdate(0.5),
        "delay-compensated" => new DelayCompensatedUpdate(1),
        _ => UpdateRule.Plain,
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_replayed_recording_repeats_every_checkpoint_to_the_bit_and_its_twins_do_not_disturb_it(string rule)
    {
        var spec = new SpecBuilder { Iterations = 400, Batch = 3, CheckpointEvery = 50 }.Build();
        var (live, taus, samples) = Live(spec, RuleNamed(rule), orderSeed: 17);
        Assert.Contains(taus, t => t >= 3); // the order made real staleness, not a sequential run
        var replay = new ReplayStaleness("trace.csv", taus, samples, 3);
        var replayed = ReplayHashes.Of(Replicate.Prepare(spec with { Staleness = replay, Rule = RuleNamed(rule), Twins = 4, Workers = Workers }, 5));
        Assert.Equal(live.Count, replayed.Count);
        Assert.Equal(live, replayed);
    }

    [Fact]
    public void A_different_arrival_order_is_a_different_run()
    {
        var spec = new SpecBuilder { Iterations = 200, Batch = 3 }.Build();
        Assert.NotEqual(Live(spec, UpdateRule.Plain, 1).Checkpoints[^1], Live(spec, UpdateRule.Plain, 2).Checkpoints[^1]);
    }

    [Fact]
    public void A_recording_is_read_to_its_last_complete_row_and_bad_rows_name_the_line()
    {
        var folder = Scenarios.TempFolder();
        var path = Path.Combine(folder, "trace.csv");
        File.WriteAllText(path, "event,step,worker,version,samples,host\napplied,0,1,0,4 5,h\nlost,,2,0,,h\napplied,1,0,0,6 7,h\napplied,2,1,1,8");
        var replay = ReplayStaleness.Read(path, 100);
        Assert.Equal([0, 1], replay.Taus);
        Assert.Equal([4, 5, 6, 7], replay.Samples);
        File.WriteAllText(path, "event,step,worker,version,samples,host\napplied,0,1,0,4 5,h\napplied,3,0,0,6 7,h\n");
        Assert.Contains("trace.csv:3: step must be 1", Assert.Throws<DelaySim.Model.BadInputException>(() => ReplayStaleness.Read(path, 100)).Message);
        File.WriteAllText(path, "event,step,worker,version,samples,host\napplied,0,1,1,4 5,h\n");
        Assert.Contains("trace.csv:2: version must be", Assert.Throws<DelaySim.Model.BadInputException>(() => ReplayStaleness.Read(path, 100)).Message);
        File.WriteAllText(path, "event,step,worker,version,samples,host\napplied,0,1,0,4 500,h\n");
        Assert.Contains("sample '500'", Assert.Throws<DelaySim.Model.BadInputException>(() => ReplayStaleness.Read(path, 100)).Message);
        File.WriteAllText(path, "step,version\n0,0\n");
        Assert.Contains("trace.csv:1: the header must name", Assert.Throws<DelaySim.Model.BadInputException>(() => ReplayStaleness.Read(path, 100)).Message);
    }
}

using System.Diagnostics;
using Akka.Actor;
using DelaySim.Actors;
using DelaySim.Model.Engine;

namespace DelaySim.Host.Pipeline;

/// <summary>
/// Runs every (cell, replicate) pair on <paramref name="jobs"/> cores with the chosen engine and returns the cells in
/// scenario order. Replicate r of every cell uses the seed derived from (master seed, r): common random numbers across
/// cells, so cells differ only in what the scenario varies. Concurrent calls share the same <paramref name="jobs"/>
/// lanes (a cluster runner queues its cells' replicates on them instead of interleaving them).
/// </summary>
internal sealed class SweepRunner(EngineKind engine, int jobs, ActorSystem? system, Output.CellStore? store = null)
{
    public static readonly TimeSpan ReplicateTimeout = TimeSpan.FromHours(6);

    readonly SemaphoreSlim _gate = new(Math.Max(1, jobs));
    readonly System.Collections.Concurrent.ConcurrentQueue<int> _lanes = new(Enumerable.Range(0, Math.Max(1, jobs)));

    /// <param name="firstSeed">The first replicate's index: a cluster runner may run seeds [firstSeed, firstSeed + seeds) of a cell.</param>
    public async Task<IReadOnlyList<CellRun>> RunAsync(IReadOnlyList<Cell> cells, ulong masterSeed, int seeds, Action<CellRun>? onCell = null, int firstSeed = 0)
    {
        var outcomes = new CellRun[cells.Count];
        var gate = _gate;
        var lanes = _lanes;
        var tasks = cells.Select(async (cell, c) =>
        {
            if (store?.TryLoad(c, cell.Name) is { } finished)
            {
                var resumed = new CellRun(c, cell, finished, TimeSpan.Zero, Resumed: true);
                outcomes[c] = resumed;
                onCell?.Invoke(resumed);
                return;
            }
            // A cell's time is the sum of its replicates' run times (lane-seconds), not the wall time since the sweep
            // started: every cell is queued at once, so that would count the time spent waiting for a lane.
            var busyTicks = 0L;
            var replicates = await Task.WhenAll(Enumerable.Range(firstSeed, seeds).Select(async r =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                lanes.TryDequeue(out var lane);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    return await RunReplicateAsync(cell.Spec, Streams(masterSeed, r), r, lane).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Add(ref busyTicks, Stopwatch.GetTimestamp() - started);
                    lanes.Enqueue(lane);
                    gate.Release();
                }
            })).ConfigureAwait(false);
            store?.Save(c, cell.Name, replicates);
            var outcome = new CellRun(c, cell, replicates, Stopwatch.GetElapsedTime(0, busyTicks));
            outcomes[c] = outcome;
            onCell?.Invoke(outcome);
        }).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return outcomes;
    }

    static ulong Streams(ulong master, int r) => Model.Randomness.Streams.Replicate(master, r);

    /// <summary>Runs one replicate; with actors, on its own lane (a single-thread dispatcher, see config/akka.hocon).</summary>
    Task<ReplicateResult> RunReplicateAsync(CellSpec spec, ulong seed, int index, int lane)
    {
        if (engine == EngineKind.Direct)
            return Task.Run(() => DirectEngine.Run(Replicate.Prepare(spec, seed), index));
        return ActorEngine.RunAsync(system ?? throw new InvalidOperationException("the actor engine needs an ActorSystem"), Replicate.Prepare(spec, seed), index, ReplicateTimeout, AkkaSetup.LaneDispatcher(lane));
    }
}

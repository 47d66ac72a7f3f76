using DelaySim.Model.Delays;
using DelaySim.Model.Engine;
using DelaySim.Model.Problems;
using DelaySim.Model.Randomness;

namespace DelaySim.Model.TimeDomain;

/// <summary>
/// A time-domain worker as a pure state machine: on a snapshot it draws a batch from its own sample stream, computes
/// the gradient of every trajectory, draws its compute time and uplink latency, and sends the result to arrive at
/// now + compute + uplink.
/// </summary>
public sealed class TimeWorker
{
    readonly Replicate _replicate;
    readonly int _worker;
    readonly IDelayStream _compute;
    readonly IDelayStream _uplink;
    readonly BatchSampler _sampler;
    readonly int[] _batch;

    /// <param name="incarnation">0 for the run's workers; n ≥ 1 for the n-th replacement of a lost live worker, which samples from its own stream "samples/m/n".</param>
    public TimeWorker(Replicate replicate, int worker, IDelayStream compute, IDelayStream uplink, int incarnation = 0)
    {
        (_replicate, _worker, _compute, _uplink) = (replicate, worker, compute, uplink);
        var time = replicate.Spec.Time!;
        var n = replicate.Data.Train.Count;
        var pool = time.Data == DataPlacement.Sharded ? BatchSampler.Shard(n, time.Workers, worker) : BatchSampler.All(n);
        if (pool.Length == 0) throw new BadInputException($"worker {worker} has no training examples (n = {n} for {time.Workers} sharded workers)");
        _sampler = new BatchSampler(pool, replicate.Spec.Sampling, Streams.For(replicate.Seed, incarnation == 0 ? $"samples/{worker}" : $"samples/{worker}/{incarnation}"));
        _batch = new int[replicate.Spec.Batch];
    }

    /// <summary>
    /// Whether the worker writes each gradient into the arrays of its previous one. A worker has one gradient in flight,
    /// and the server has applied or dropped it before it sends this worker its next snapshot, so in a simulation the
    /// arrays are free again by then; a live worker's gradient leaves through the network and keeps fresh arrays.
    /// </summary>
    public bool Recycle { get; init; }

    double[][]? _gradients; // set only when recycling

    double[][] NewGradients(int trajectories)
    {
        var fresh = new double[trajectories][];
        for (var k = 0; k < trajectories; k++) fresh[k] = new double[_replicate.Problem.ParameterCount];
        if (Recycle) _gradients = fresh;
        return fresh;
    }

    /// <summary>The indices of the batch the last <see cref="Handle"/> took the gradient on.</summary>
    public ReadOnlySpan<int> LastBatch => _batch;

    /// <summary>Opens the compute and uplink streams of all workers together (shared components need that) and builds the workers.</summary>
    /// <param name="recycle">Each worker reuses its gradient arrays (<see cref="Recycle"/>): for simulations, not live workers.</param>
    public static TimeWorker[] CreateAll(Replicate replicate, int incarnation = 0, bool recycle = false)
    {
        var time = replicate.Spec.Time!;
        var again = incarnation == 0 ? "" : $"/incarnation/{incarnation}"; // a replacement draws afresh
        var compute = time.Compute.Open(replicate.Seed, "compute" + replicate.DelaySuffix + again, time.Workers);
        var uplink = time.Uplink.Open(replicate.Seed, "uplink" + replicate.DelaySuffix + again, time.Workers);
        return Enumerable.Range(0, time.Workers).Select(m => new TimeWorker(replicate, m, compute[m], uplink[m], incarnation) { Recycle = recycle }).ToArray();
    }

    public Outgoing Handle(double now, Snapshot snapshot)
    {
        _sampler.Fill(_batch);
        var gradients = _gradients?.Length == snapshot.Parameters.Length ? _gradients : NewGradients(snapshot.Parameters.Length);
        for (var k = 0; k < gradients.Length; k++)
            _replicate.Problem.BatchGradient(snapshot.Parameters[k], _replicate.TrainSets[k], _batch, gradients[k]);
        var compute = _compute.Next(now);
        var uplink = _uplink.Next(now + compute) * _replicate.Spec.Timeline.UplinkFactor(now + compute);
        if (!(compute >= 0) || !(uplink >= 0))
            throw new InvalidOperationException($"worker {_worker}: negative or NaN time (compute {compute}, uplink {uplink})");
        return new Outgoing(now + compute + uplink, Address.Server, new GradientArrival(_worker, snapshot.Version, gradients, compute, uplink, snapshot.Parameters));
    }
}

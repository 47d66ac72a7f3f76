using DelaySim.Model.Engine;
using DelaySim.Model.StalenessDomain;

namespace DelaySim.Tests.Support;

/// <summary>Runs a staleness-domain replicate on its own server and returns trajectory 0's parameter hash at every checkpoint.</summary>
internal static class ReplayHashes
{
    public static List<(long Iteration, string Hash)> Of(Replicate replicate)
    {
        var server = new StalenessServer(replicate);
        var hashes = new List<(long, string)>();
        var pending = new Dictionary<long, StepWork>();
        var gradients = replicate.TrainSets.Select(_ => new double[replicate.Problem.ParameterCount]).ToArray();
        void Take() => hashes.AddRange(server.TakeCheckpoints().Select(c => (c.Iteration, DelaySim.Host.Live.LiveServerActor.Hash(c.Parameters[0]))));
        foreach (var w in server.Begin()) pending[w.Step] = w;
        Take();
        while (!server.Finished)
        {
            var work = pending[server.Version];
            pending.Remove(work.Step);
            work.Compute(replicate, gradients);
            foreach (var w in server.Apply(work, gradients)) pending[w.Step] = w;
            Take();
        }
        return hashes;
    }
}

using DelaySim.Model.Randomness;

namespace DelaySim.Model.Delays;

/// <summary>Independent draws from one marginal, per worker.</summary>
public sealed record IidModel(Marginal Marginal) : DelayModel
{
    public override string Label => Marginal.Label;

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers) =>
        Enumerable.Range(0, workers).Select(m => (IDelayStream)new Stream(Marginal, Streams.For(seed, $"{name}/{m}"))).ToArray();

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers) => DeclaredStatistics.Of(Marginal);

    sealed class Stream(Marginal marginal, Rng rng) : IDelayStream
    {
        public double Next(double now) => marginal.Sample(rng);
    }
}

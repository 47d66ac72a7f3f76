namespace DelaySim.Model.Delays;

/// <summary>
/// Per-worker heterogeneity: <see cref="Overrides"/>[m] replaces the default model for worker m (a slow NIC, a node on
/// another switch). Each model opens its streams for all workers, so shared parts stay consistent; worker m reads the
/// stream of the model that applies to it.
/// </summary>
public sealed record PerWorkerModel(DelayModel Default, IReadOnlyDictionary<int, DelayModel> Overrides) : DelayModel
{
    public override string Label => $"{Default.Label}; {Overrides.Count} worker(s) overridden";

    public override IReadOnlyList<IDelayStream> Open(ulong seed, string name, int workers)
    {
        var outside = Overrides.Keys.Where(m => m >= workers).ToArray();
        if (outside.Length > 0) throw new ArgumentException($"worker(s) {string.Join(", ", outside)} overridden, but the run has only {workers} workers (0..{workers - 1})");
        var defaults = Default.Open(seed, name, workers);
        var opened = Overrides.ToDictionary(p => p.Key, p => p.Value.Open(seed, $"{name}/override", workers));
        return Enumerable.Range(0, workers).Select(m => opened.TryGetValue(m, out var streams) ? streams[m] : defaults[m]).ToArray();
    }

    public override DeclaredStatistics Declared(ulong seed, int worker, int workers) =>
        (Overrides.TryGetValue(worker, out var model) ? model : Default).Declared(seed, worker, workers) with { CrossCorrelation = double.NaN };
}

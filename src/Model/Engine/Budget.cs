namespace DelaySim.Model.Engine;

/// <summary>
/// When a server checkpoints and when it stops, shared by the servers of every domain: after each update it asks
/// <see cref="AfterUpdate"/>, which says whether the new version is a checkpoint (every k steps, and always the last
/// update, whichever budget ends the run; each server records version 0 itself), and <see cref="AtCheckpoint"/>, which
/// checks trajectory 0 for divergence there. A server step is one update, except in the parameter-server domain counting
/// steps, where a step in which no worker fired is counted by <see cref="AfterEmptyStep"/>.
/// </summary>
internal sealed class Budget
{
    readonly CellSpec _spec;
    readonly double _initialNorm;
    readonly bool _watchesDivergence;
    int _untilCheckpoint;

    /// <param name="watchesDivergence">False for a twin run alone: it must reach trajectory 0's last step whatever its own parameters do.</param>
    public Budget(CellSpec spec, ReadOnlySpan<double> initialParameters, bool watchesDivergence = true)
    {
        _spec = spec;
        _initialNorm = Problems.Kernels.Norm(initialParameters);
        _watchesDivergence = watchesDivergence;
        _untilCheckpoint = spec.CheckpointEvery;
    }

    /// <summary>Stopped at a checkpoint because trajectory 0 exploded (see <see cref="Divergence"/>).</summary>
    public bool Diverged { get; private set; }

    /// <summary>Worker gradients applied so far (several per update when a server sums them).</summary>
    public long GradientsApplied { get; private set; }

    /// <summary>Updates applied so far: the index of the newest version.</summary>
    public long Version { get; private set; }

    /// <summary>Server steps so far: <see cref="Version"/> plus the empty steps. The iteration of a checkpoint.</summary>
    public long Steps { get; private set; }

    public bool Finished => Diverged || Spent;

    bool Spent => Steps >= _spec.Iterations || GradientsApplied >= _spec.GradientBudget;

    /// <summary>
    /// Counts one update of <paramref name="gradients"/> gradients; true when the new version is a checkpoint, and then
    /// the caller passes trajectory 0's parameters to <see cref="AtCheckpoint"/>.
    /// </summary>
    public bool AfterUpdate(int gradients)
    {
        Version++;
        GradientsApplied += gradients;
        return AfterStep();
    }

    /// <summary>
    /// Counts gradients a rule took without changing w (it holds them in a buffer): no version, no step; true when the
    /// gradient budget is spent with them, which ends the run at a checkpoint.
    /// </summary>
    public bool AfterHeld(int gradients)
    {
        GradientsApplied += gradients;
        return Spent;
    }

    /// <summary>Counts a server step that applied nothing; true when it ends at a checkpoint (as <see cref="AfterUpdate"/>).</summary>
    public bool AfterEmptyStep() => AfterStep();

    bool AfterStep()
    {
        Steps++;
        // Every k-th step, counted down rather than divided.
        var periodic = --_untilCheckpoint == 0;
        if (periodic) _untilCheckpoint = _spec.CheckpointEvery;
        return periodic || Spent;
    }

    /// <summary>At a checkpoint: stops the run if trajectory 0 has exploded.</summary>
    public void AtCheckpoint(ReadOnlySpan<double> trajectory0) => Diverged = _watchesDivergence && Divergence.Exploded(trajectory0, _initialNorm);
}

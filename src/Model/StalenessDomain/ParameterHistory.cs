using DelaySim.Model.Updates;

namespace DelaySim.Model.StalenessDomain;

/// <summary>
/// The last τ̂ + 1 parameter versions w_{t−τ̂}, …, w_t of one trajectory in a ring, so a stale read w_{t−τ} costs
/// nothing and an update costs one copy. Before step τ̂ the older slots are not yet written; the planner never asks for
/// a version below 0, and w_s = w_0 for s &lt; 0 by clamping there.
/// </summary>
internal sealed class ParameterHistory
{
    readonly double[] _ring;
    readonly int _slots;
    readonly int _dim;
    int _currentSlot; // Version mod (τ̂ + 1), kept as a counter rather than a 64-bit division on every access

    public ParameterHistory(ReadOnlySpan<double> initial, int maxStaleness)
    {
        _dim = initial.Length;
        _slots = maxStaleness + 1;
        _ring = new double[_slots * _dim];
        initial.CopyTo(_ring);
    }

    /// <summary>t, the index of the newest version w_t.</summary>
    public long Version { get; private set; }

    public ReadOnlySpan<double> Current => _ring.AsSpan(_currentSlot * _dim, _dim);

    /// <summary>w_v for Version − τ̂ ≤ v ≤ Version.</summary>
    public ReadOnlySpan<double> At(long version) => View(version).Span;

    /// <summary>
    /// w_v without a copy. The view stays valid until version v + τ̂ + 1 is written into its slot, that is until step
    /// v + τ̂ has been applied; every step that reads w_v is applied by then, so a reader never sees it change.
    /// </summary>
    public ReadOnlyMemory<double> View(long version)
    {
        if (version > Version || version < Version - _slots + 1 || version < 0)
            throw new ArgumentOutOfRangeException(nameof(version), version, $"only versions {Math.Max(0, Version - _slots + 1)}..{Version} are kept");
        var slot = _currentSlot - (int)(Version - version);
        return _ring.AsMemory((slot < 0 ? slot + _slots : slot) * _dim, _dim);
    }

    /// <summary>The ring slot that holds version v when v mod (τ̂ + 1) = <paramref name="slot"/>; the same memory for the whole run.</summary>
    public ReadOnlyMemory<double> Slot(int slot) => _ring.AsMemory(slot * _dim, _dim);

    /// <summary>w_{t+1} = the rule applied to a copy of w_t (w_t − η·g for the plain rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step(ReadOnlySpan<double> gradient, IUpdater updater, in UpdateContext context)
    {
        var nextSlot = _currentSlot + 1 == _slots ? 0 : _currentSlot + 1;
        var next = _ring.AsSpan(nextSlot * _dim, _dim);
        if (_slots > 1) updater.ApplyTo(Current, next, gradient, context);
        else updater.Apply(next, gradient, context);
        _currentSlot = nextSlot;
        Version++;
    }

    /// <summary>w_{t+1} = w_t − η·g.</summary>
    public void Step(ReadOnlySpan<double> gradient, double eta) => Step(gradient, UpdateRule.Plain.Start(_dim), new UpdateContext(Version, eta, 0));
}

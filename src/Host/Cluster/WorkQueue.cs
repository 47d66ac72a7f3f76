namespace DelaySim.Host.Cluster;

/// <summary>
/// The cells a coordinator still has to give, cut by seed into <see cref="Parts"/> parts (one per runner node when the run
/// starts, at most one per seed). Each runner keeps to one part: the replicates of a seed share its data (drawn once per
/// node and seed), so a node that runs seeds 0–9 of every cell draws half the data it would for whole cells. A runner
/// whose part is used up takes from the part with the most left. The order within a part is the order given
/// (<see cref="WorkOrder.LargestFirst"/>); which runner runs what never changes a result.
/// </summary>
internal sealed class WorkQueue
{
    readonly Queue<int>[] _byPart;
    readonly Dictionary<string, int> _partOf = [];
    readonly int[] _runnersOf;

    public WorkQueue(IReadOnlyCollection<int> cells, int parts)
    {
        Parts = Math.Max(1, parts);
        _byPart = Enumerable.Range(0, Parts).Select(_ => new Queue<int>(cells)).ToArray();
        _runnersOf = new int[Parts];
    }

    public int Parts { get; }

    /// <summary>Parts of cells not given yet.</summary>
    public int Count => _byPart.Sum(q => q.Count);

    /// <summary>Seeds [First, First + Count) of a run with <paramref name="seeds"/> seeds: part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public static (int First, int Count) Seeds(int seeds, int part, int parts)
    {
        var first = (int)((long)seeds * part / parts);
        return (first, (int)((long)seeds * (part + 1) / parts) - first);
    }

    /// <summary>The next cell part for <paramref name="runner"/>: from its own part, else from the part with the most left.</summary>
    public bool TryTake(string runner, out (int Cell, int Part) work)
    {
        work = default;
        if (Count == 0) return false;
        if (!_partOf.TryGetValue(runner, out var own))
        {
            own = Array.IndexOf(_runnersOf, _runnersOf.Min()); // the part with the fewest runners, lowest first
            _partOf[runner] = own;
            _runnersOf[own]++;
        }
        var part = _byPart[own].Count > 0 ? own : Array.IndexOf(_byPart, _byPart.MaxBy(q => q.Count)!);
        work = (_byPart[part].Dequeue(), part);
        return true;
    }

    /// <summary>Work a lost runner held, back at the front of its parts' queues, in cell order.</summary>
    public void PutBack(IEnumerable<(int Cell, int Part)> work)
    {
        foreach (var group in work.GroupBy(w => w.Part))
        {
            var rest = _byPart[group.Key].ToArray();
            _byPart[group.Key].Clear();
            foreach (var cell in group.Select(w => w.Cell).Order().Concat(rest)) _byPart[group.Key].Enqueue(cell);
        }
    }
}

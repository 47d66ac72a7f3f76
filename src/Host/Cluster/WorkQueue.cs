namespace DelaySim.Host.Cluster;

/// <summary>
/// The cells a coordinator still has to give, cut by seed into <see cref="Parts"/> parts (one per runner node when the run
/// starts, at most one per seed). Each runner keeps to one part: the replicates of a seed share its data (drawn once per
/// node and seed), so a node that runs seeds 0–9 of every cell draws half the data it would for whole cells. A runner
/// whose part is used up takes from a part it has run before (its data is drawn), else from the part with the most
/// left if the caller finds that worth the draw (<see cref="RunnerPace"/>). The order within a part is the order given
/// (<see cref="WorkOrder.LargestFirst"/>); which runner runs what never changes a result.
/// </summary>
internal sealed class WorkQueue
{
    readonly Queue<int>[] _byPart;
    readonly Dictionary<string, int> _partOf = [];
    readonly int[] _runnersOf;
    readonly HashSet<(string Runner, int Part)> _drawn = []; // the parts each runner has taken from

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

    /// <summary>Cells of <paramref name="part"/> not given yet, in the order they will be.</summary>
    public IReadOnlyCollection<int> Queued(int part) => _byPart[part];

    /// <summary>The runners whose own part is <paramref name="part"/>.</summary>
    public IReadOnlyCollection<string> Owners(int part) => _partOf.Where(p => p.Value == part).Select(p => p.Key).ToArray();

    /// <summary>
    /// The next cell part for <paramref name="runner"/>: from its own part; else from the part with the most left among
    /// those it has taken from before; else from the part with the most left that <paramref name="worthDrawing"/> (given
    /// that part) allows. False when nothing is left, or nothing is worth it. <paramref name="first"/>: the first
    /// cell this runner takes from that part (its node draws the part's data for it).
    /// </summary>
    public bool TryTake(string runner, out (int Cell, int Part) work, out bool first, Func<int, bool>? worthDrawing = null)
    {
        (work, first) = (default, false);
        if (Count == 0) return false;
        if (!_partOf.TryGetValue(runner, out var own))
        {
            own = Array.IndexOf(_runnersOf, _runnersOf.Min()); // the part with the fewest runners, lowest first
            _partOf[runner] = own;
            _runnersOf[own]++;
        }
        // Its own part; else one it has drawn; else the first, by most left, of the others that is worth the draw.
        int? part = _byPart[own].Count > 0 ? own : MostLeft(p => _drawn.Contains((runner, p)));
        part ??= Enumerable.Range(0, Parts).Where(p => _byPart[p].Count > 0).OrderByDescending(p => _byPart[p].Count).ThenBy(p => p)
            .Select(p => (int?)p).FirstOrDefault(p => worthDrawing?.Invoke(p!.Value) != false);
        if (part is not { } chosen) return false;
        first = _drawn.Add((runner, chosen));
        work = (_byPart[chosen].Dequeue(), chosen);
        return true;
    }

    public bool TryTake(string runner, out (int Cell, int Part) work) => TryTake(runner, out work, out _);

    /// <summary>The part with cells left, the most of them (lowest first), among those <paramref name="eligible"/>.</summary>
    int? MostLeft(Func<int, bool> eligible) =>
        Enumerable.Range(0, Parts).Where(p => _byPart[p].Count > 0 && eligible(p)).Select(p => (int?)p).MaxBy(p => _byPart[p!.Value].Count);

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

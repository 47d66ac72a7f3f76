namespace DelaySim.Host.Cluster;

/// <summary>
/// The cells a coordinator still has to give, cut by seed into parts: ranges of seeds that cover the run's seeds once
/// (one per runner node when the run starts, at most one per seed). Each runner keeps to one part: the replicates of a
/// seed share its data (drawn once per node and seed), so a node that runs seeds 0–9 of every cell draws half the data
/// it would for whole cells. A runner whose part is used up takes from a part it has drawn (its node holds the data),
/// else from the part with the most left if the caller finds that worth the draw (<see cref="RunnerPace"/>). At the
/// end of a run a part can be <see cref="Split"/>: its last seeds become a new part, for the cells it still has queued,
/// so that an idle runner draws the data of a few seeds rather than of all of them. The order within a part is the order
/// given (<see cref="WorkOrder.LargestFirst"/>); which runner runs what never changes a result.
/// </summary>
internal sealed class WorkQueue
{
    readonly List<Queue<int>> _byPart = [];
    readonly List<(int First, int Count)> _ranges = [];
    readonly List<int> _runnersOf = [];
    readonly Dictionary<string, int> _partOf = [];
    readonly HashSet<(string Runner, int Part)> _drawn = []; // the parts whose seeds each runner's node has drawn

    /// <param name="parts">Parts to start with (at most one per seed).</param>
    public WorkQueue(IReadOnlyCollection<int> cells, int parts, int seeds)
    {
        seeds = Math.Max(1, seeds);
        parts = Math.Clamp(parts, 1, seeds);
        for (var p = 0; p < parts; p++) AddPart(Seeds(seeds, p, parts), cells);
    }

    /// <summary>The number of parts now (a split adds one).</summary>
    public int Parts => _byPart.Count;

    /// <summary>Parts of cells not given yet.</summary>
    public int Count => _byPart.Sum(q => q.Count);

    /// <summary>Seeds [First, First + Count) of a run with <paramref name="seeds"/> seeds: part <paramref name="part"/> of <paramref name="parts"/> equal ones.</summary>
    public static (int First, int Count) Seeds(int seeds, int part, int parts)
    {
        var first = (int)((long)seeds * part / parts);
        return (first, (int)((long)seeds * (part + 1) / parts) - first);
    }

    /// <summary>The seeds of part <paramref name="part"/> now (a cell given earlier keeps the range it was given with).</summary>
    public (int First, int Count) Range(int part) => _ranges[part];

    /// <summary>Cells of <paramref name="part"/> not given yet, in the order they will be.</summary>
    public IReadOnlyCollection<int> Queued(int part) => _byPart[part];

    /// <summary>The runners whose own part is <paramref name="part"/>.</summary>
    public IReadOnlyCollection<string> Owners(int part) => _partOf.Where(p => p.Value == part).Select(p => p.Key).ToArray();

    /// <summary>The parts with cells queued whose seeds <paramref name="runner"/> has not drawn, the most left first (lowest first among equals).</summary>
    public IEnumerable<int> Undrawn(string runner) =>
        Enumerable.Range(0, Parts).Where(p => _byPart[p].Count > 0 && !_drawn.Contains((runner, p))).OrderByDescending(p => _byPart[p].Count).ThenBy(p => p);

    /// <summary>
    /// The next cell part for <paramref name="runner"/>: from its own part; else from the part with the most left among
    /// those it has drawn; else from the first of <see cref="Undrawn"/> that <paramref name="worthDrawing"/> (given
    /// that part) allows. False when nothing is left, or nothing is worth it. <paramref name="first"/>: the first
    /// cell this runner takes from that part (its node draws the part's data for it).
    /// </summary>
    public bool TryTake(string runner, out (int Cell, int Part) work, out bool first, Func<int, bool>? worthDrawing = null)
    {
        (work, first) = (default, false);
        if (Count == 0) return false;
        if (!_partOf.TryGetValue(runner, out var own))
        {
            own = _runnersOf.IndexOf(_runnersOf.Min()); // the part with the fewest runners, lowest first
            Own(runner, own);
        }
        int? part = _byPart[own].Count > 0 ? own : MostLeft(p => _drawn.Contains((runner, p)));
        part ??= Undrawn(runner).Select(p => (int?)p).FirstOrDefault(p => worthDrawing?.Invoke(p!.Value) != false);
        if (part is not { } chosen) return false;
        first = _drawn.Add((runner, chosen));
        work = (_byPart[chosen].Dequeue(), chosen);
        return true;
    }

    public bool TryTake(string runner, out (int Cell, int Part) work) => TryTake(runner, out work, out _);

    /// <summary>
    /// The last <paramref name="seeds"/> seeds of <paramref name="part"/> become a new part, with the cells
    /// <paramref name="part"/> has queued, and <paramref name="runner"/>'s own: it draws their data. Every runner that
    /// drew <paramref name="part"/> holds the new part's data too. Returns the new part.
    /// </summary>
    public int Split(int part, int seeds, string runner)
    {
        var (first, count) = _ranges[part];
        if (seeds <= 0 || seeds >= count) throw new ArgumentOutOfRangeException(nameof(seeds), seeds, $"a part of {count} seeds splits into two non-empty ones");
        _ranges[part] = (first, count - seeds);
        var split = AddPart((first + count - seeds, seeds), _byPart[part]);
        foreach (var (holder, _) in _drawn.Where(d => d.Part == part).ToArray()) _drawn.Add((holder, split));
        if (_partOf.Remove(runner, out var was)) _runnersOf[was]--;
        Own(runner, split);
        return split;
    }

    /// <summary>
    /// Work a lost runner held, given as cells and seed ranges, back at the front of the queues of the parts that now
    /// cover those seeds, in cell order.
    /// </summary>
    public void PutBack(IEnumerable<(int Cell, int First, int Count)> work)
    {
        var back = work.SelectMany(w => Enumerable.Range(0, Parts)
                .Where(p => _ranges[p].First >= w.First && _ranges[p].First + _ranges[p].Count <= w.First + w.Count)
                .Select(p => (w.Cell, Part: p)))
            .GroupBy(w => w.Part);
        foreach (var group in back)
        {
            var rest = _byPart[group.Key].ToArray();
            _byPart[group.Key].Clear();
            foreach (var cell in group.Select(w => w.Cell).Order().Concat(rest)) _byPart[group.Key].Enqueue(cell);
        }
    }

    int AddPart((int First, int Count) range, IEnumerable<int> cells)
    {
        _byPart.Add(new Queue<int>(cells));
        _ranges.Add(range);
        _runnersOf.Add(0);
        return _byPart.Count - 1;
    }

    void Own(string runner, int part)
    {
        _partOf[runner] = part;
        _runnersOf[part]++;
    }

    /// <summary>The part with cells left, the most of them (lowest first), among those <paramref name="eligible"/>.</summary>
    int? MostLeft(Func<int, bool> eligible) =>
        Enumerable.Range(0, Parts).Where(p => _byPart[p].Count > 0 && eligible(p)).Select(p => (int?)p).MaxBy(p => _byPart[p!.Value].Count);
}

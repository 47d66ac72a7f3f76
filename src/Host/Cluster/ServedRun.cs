using Akka.Actor;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model.Data;

namespace DelaySim.Host.Cluster;

/// <summary>
/// A run whose cells a runner node serves: its coordinator (whose uid changes with every process), run id, parsed
/// scenario and plan, and how many of its cells run here now. Once the run is <see cref="Retire">retired</see> (the next
/// run's plan replaced it, or its coordinator left) and none of its cells runs any more, its synthetic test sets' memory
/// goes to the node's spares, once. Counted per run, not per node: a cell of the last run that still runs when the next
/// run's first cell arrives keeps its data until it ends, and the data is handed on then rather than left to the collector.
/// </summary>
internal sealed class ServedRun(IActorRef coordinator, string runId, Scenario scenario, IReadOnlyList<Cell> cells, SpareArrays spares)
{
    int _running;
    bool _retired, _released;

    public IActorRef Coordinator => coordinator;
    public string RunId => runId;
    public Scenario Scenario => scenario;
    public IReadOnlyList<Cell> Cells => cells;

    /// <summary>Whether a cell from <paramref name="from"/> belongs to this run.</summary>
    public bool Serves(IActorRef from, string id, int format) => coordinator.Equals(from) && runId == id && scenario.Format == format;

    public void CellStarted() => _running++;

    public void CellEnded()
    {
        _running--;
        ReleaseWhenDone();
    }

    /// <summary>No cell of this run will start here any more.</summary>
    public void Retire()
    {
        _retired = true;
        ReleaseWhenDone();
    }

    void ReleaseWhenDone()
    {
        if (!_retired || _running > 0 || _released) return;
        _released = true;
        CellPlan.Release(cells, spares);
    }
}

using Akka.Actor;
using DelaySim.Model.Simulation;

namespace DelaySim.Actors.Clock;

/// <summary>
/// The virtual-time clock: a conservative discrete-event kernel. It delivers every event of the earliest time at once
/// (those may be handled in parallel), waits until each has been <see cref="Handled"/>, then enqueues the events they
/// produced in the order of the events that produced them, whatever order the answers arrived in. So mailbox
/// interleaving can never change what happens, and virtual time never waits for the wall clock.
///
/// A target that never answers would stop virtual time for good, so a watchdog looks at the answers every
/// <c>stallCheck</c> of wall time: when two looks in a row find events outstanding and no answer in between, the clock
/// fails, naming the events still unanswered (its parent then fails the run). Two looks, re-armed after each, so a lane
/// busy with one long computation (a checkpoint on a big test set) is not mistaken for a stall.
/// </summary>
internal sealed class ClockActor : UntypedActor, IWithTimers
{
    /// <summary>The wall-clock interval of the stall watchdog when the configuration does not set <c>delaysim.stall-check</c>.</summary>
    public static readonly TimeSpan DefaultStallCheck = TimeSpan.FromSeconds(20);

    sealed record CheckStall
    {
        public static readonly CheckStall Instance = new();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    readonly IActorRef _owner;
    TimeSpan _stallCheck;
    long _answerCount;
    long _answerCountAtLastCheck = -1;
    bool _suspect;
    readonly EventQueue<ScheduledEvent> _queue = new();
    readonly List<ScheduledEvent> _batch = [];
    IReadOnlyList<ScheduledEvent>?[]?[] _answers = new IReadOnlyList<ScheduledEvent>?[]?[4];
    int[] _missing = new int[4];
    long _firstId;
    int _outstanding;
    double _now;
    long _delivered;

    public ClockActor(IActorRef owner, TimeSpan stallCheck)
    {
        _owner = owner;
        _stallCheck = stallCheck;
    }

    // A switch, not ReceiveActor's matchers: those are expression trees compiled at start, which the native build can only
    // interpret, on every message (docs/PERFORMANCE.md, fifteenth session).
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Handled handled: HandleHandled(handled); break;
            case Schedule schedule: HandleSchedule(schedule); break;
            case CheckStall: HandleCheckStall(); break;
            default: Unhandled(message); break;
        }
    }

    /// <param name="stallCheck">The watchdog's interval; null (or not positive): <c>delaysim.stall-check</c> from the configuration.</param>
    public static Props Props(IActorRef owner, TimeSpan? stallCheck = null)
    {
        var check = stallCheck ?? TimeSpan.Zero;
        return Produce.Props(() => new ClockActor(owner, check));
    }

    protected override void PreStart()
    {
        if (_stallCheck <= TimeSpan.Zero)
            _stallCheck = Context.System.Settings.Config.GetTimeSpan("delaysim.stall-check", DefaultStallCheck, allowInfinite: false);
        Timers.StartSingleTimer(nameof(CheckStall), CheckStall.Instance, _stallCheck);
    }

    void HandleCheckStall()
    {
        var stalled = _outstanding > 0 && _answerCount == _answerCountAtLastCheck;
        if (stalled && _suspect)
        {
            var waiting = _batch.Where((_, i) => _answers[i] is null || _missing[i] > 0).Select(e => $"{e.Payload.GetType().Name} to {e.Target.Path.Name}");
            throw new TimeoutException($"clock: no answer to {_outstanding} event(s) at virtual time {_now} for two checks {_stallCheck.TotalSeconds:0.#} s apart " +
                                       $"({string.Join(", ", waiting)}); an actor did not reply with Handled");
        }
        _suspect = stalled;
        _answerCountAtLastCheck = _answerCount;
        Timers.StartSingleTimer(nameof(CheckStall), CheckStall.Instance, _stallCheck);
    }

    void HandleSchedule(Schedule schedule)
    {
        foreach (var e in schedule.Events) Enqueue(e);
        if (_outstanding == 0) DeliverNextBatch();
    }

    void HandleHandled(Handled handled)
    {
        var slot = handled.EventId - _firstId;
        if (slot < 0 || slot >= _batch.Count || handled.Parts < 1 || (uint)handled.Part >= (uint)handled.Parts)
            throw new InvalidOperationException($"clock: unexpected Handled for event [{handled.EventId}]");
        var parts = _answers[slot] ??= new IReadOnlyList<ScheduledEvent>?[handled.Parts];
        if (parts.Length != handled.Parts || parts[handled.Part] is not null)
            throw new InvalidOperationException($"clock: part {handled.Part} of event [{handled.EventId}] is unexpected or repeated");
        parts[handled.Part] = handled.Next;
        _answerCount++;
        if (_missing[slot] == 0) _missing[slot] = handled.Parts;
        if (--_missing[slot] > 0 || --_outstanding > 0) return;
        for (var i = 0; i < _batch.Count; i++)
        {
            foreach (var part in _answers[i]!)
                foreach (var e in part!) Enqueue(e);
            _answers[i] = null;
        }
        DeliverNextBatch();
    }

    void Enqueue(ScheduledEvent e)
    {
        if (e.Time < _now)
            throw new InvalidOperationException($"clock: event for {e.Target.Path.Name} at t={e.Time} is in the past (now {_now})");
        _queue.Enqueue(e.Time, e);
    }

    void DeliverNextBatch()
    {
        if (!_queue.TryDequeueBatch(_batch, out var time))
        {
            _owner.Tell(new Drained(_now, _delivered));
            return;
        }
        _now = time;
        _firstId = _delivered;
        if (_answers.Length < _batch.Count)
        {
            _answers = new IReadOnlyList<ScheduledEvent>?[]?[Math.Max(_batch.Count, 2 * _answers.Length)];
            _missing = new int[_answers.Length];
        }
        _outstanding = _batch.Count;
        foreach (var e in _batch) e.Target.Tell(new Deliver(_delivered++, time, e.Payload));
    }
}

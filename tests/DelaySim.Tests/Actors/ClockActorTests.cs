using Akka.Actor;
using Akka.TestKit.Xunit2;
using DelaySim.Actors.Clock;

namespace DelaySim.Tests.Actors;

public class ClockActorTests() : TestKit("akka.loglevel = WARNING\nakka.test.single-expect-default = 10s") // a loaded CI machine can starve the thread pool for seconds
{
    sealed record Ping(string Tag);

    [Fact]
    public void Events_of_one_time_go_out_together_and_their_results_are_ordered_by_the_events_not_the_replies()
    {
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        var log = CreateTestProbe();
        var clock = Sys.ActorOf(ClockActor.Props(TestActor));
        clock.Tell(new Schedule([new ScheduledEvent(1, a, new Ping("a")), new ScheduledEvent(1, b, new Ping("b"))]));

        var toA = a.ExpectMsg<Deliver>();
        var toB = b.ExpectMsg<Deliver>();
        Assert.Equal((1.0, 1.0), (toA.Time, toB.Time));
        // b answers first; its event still comes after a's, because a's Ping was scheduled first.
        clock.Tell(new Handled(toB.EventId, [new ScheduledEvent(2, log, "from b")]));
        clock.Tell(new Handled(toA.EventId, [new ScheduledEvent(2, log, "from a")]));

        var first = log.ExpectMsg<Deliver>();
        var second = log.ExpectMsg<Deliver>();
        Assert.Equal(["from a", "from b"], new[] { first.Payload, second.Payload });
        clock.Tell(Handled.Nothing(first.EventId), log.Ref);
        clock.Tell(Handled.Nothing(second.EventId), log.Ref);
        Assert.Equal(2.0, ExpectMsg<Drained>().Time);
    }

    [Fact]
    public void An_answer_in_parts_from_several_actors_is_ordered_by_part()
    {
        var a = CreateTestProbe();
        var log = CreateTestProbe();
        var clock = Sys.ActorOf(ClockActor.Props(TestActor));
        clock.Tell(new Schedule([new ScheduledEvent(1, a, "split me")]));
        var delivered = a.ExpectMsg<Deliver>();
        // Part 1 arrives first, from someone else; part 0 last. Nothing moves until both are in.
        clock.Tell(new Handled(delivered.EventId, [new ScheduledEvent(2, log, "second")], 1, 2), log.Ref);
        log.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        clock.Tell(new Handled(delivered.EventId, [new ScheduledEvent(2, log, "first")], 0, 2));
        Assert.Equal("first", log.ExpectMsg<Deliver>().Payload);
        Assert.Equal("second", log.ExpectMsg<Deliver>().Payload);
    }

    [Fact]
    public void Nothing_is_delivered_while_an_earlier_event_is_being_handled()
    {
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        var clock = Sys.ActorOf(ClockActor.Props(TestActor));
        clock.Tell(new Schedule([new ScheduledEvent(1, a, "first"), new ScheduledEvent(5, b, "later")]));
        var first = a.ExpectMsg<Deliver>();
        b.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // The handler of t = 1 schedules something at t = 3, which must go before t = 5.
        clock.Tell(new Handled(first.EventId, [new ScheduledEvent(3, a, "inserted")]));
        Assert.Equal("inserted", a.ExpectMsg<Deliver>().Payload);
    }

    [Fact]
    public void A_target_that_never_answers_fails_the_clock_within_a_few_checks_naming_the_event()
    {
        var silent = CreateTestProbe();
        var clock = Sys.ActorOf(ClockActor.Props(TestActor, stallCheck: TimeSpan.FromMilliseconds(200)));
        EventFilter.Exception<TimeoutException>(contains: "Ping to").ExpectOne(TimeSpan.FromSeconds(5), () =>
        {
            clock.Tell(new Schedule([new ScheduledEvent(1, silent, new Ping("never answered"))]));
            silent.ExpectMsg<Deliver>();
        });
    }

    [Fact]
    public void A_slow_answer_within_two_checks_is_not_a_stall()
    {
        var slow = CreateTestProbe();
        var clock = Sys.ActorOf(ClockActor.Props(TestActor, stallCheck: TimeSpan.FromMilliseconds(300)));
        clock.Tell(new Schedule([new ScheduledEvent(1, slow, new Ping("slow"))]));
        var deliver = slow.ExpectMsg<Deliver>();
        EventFilter.Exception<TimeoutException>().Expect(0, TimeSpan.FromSeconds(2), () =>
        {
            Thread.Sleep(400); // one check sees no answer: suspect, not yet a stall
            clock.Tell(Handled.Nothing(deliver.EventId), slow.Ref);
            ExpectMsg<Drained>();
        });
    }
}

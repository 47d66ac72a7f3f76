using Akka.Actor;
using Akka.TestKit.Xunit2;
using DelaySim.Actors;
using DelaySim.Actors.Clock;
using DelaySim.Actors.Monitor;
using DelaySim.Actors.Run;
using DelaySim.Actors.StalenessDomain;
using DelaySim.Actors.TimeDomain;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Actors;

/// <summary>
/// The engine's actors (and the live ones) avoid what the native build can only interpret: a <c>ReceiveActor</c>'s
/// handlers and <c>Props.Create(() =&gt; new ...)</c> are built from expression trees (4 % of a one-core actor run when
/// interpreted).
/// </summary>
public class ActorShapeTests() : TestKit("akka.loglevel = OFF")
{
    sealed class Echo(string prefix) : UntypedActor
    {
        public static int Failures;

        protected override void OnReceive(object message)
        {
            if (message is "boom" && Failures++ == 0) throw new InvalidOperationException("once");
            Sender.Tell(prefix + message);
        }
    }

    [Fact]
    public void No_actor_of_the_engine_is_a_ReceiveActor()
    {
        var actors = typeof(ActorEngine).Assembly.GetTypes().Where(t => typeof(ActorBase).IsAssignableFrom(t)).ToArray();
        Assert.True(actors.Length >= 7, $"found only {actors.Length} actor types");
        Assert.Empty(actors.Where(t => typeof(ReceiveActor).IsAssignableFrom(t)).Select(t => t.Name));
    }

    [Fact]
    public void The_live_actors_which_handle_a_message_per_update_are_not_ReceiveActors()
    {
        Assert.False(typeof(ReceiveActor).IsAssignableFrom(typeof(DelaySim.Host.Live.LiveServerActor)));
        Assert.False(typeof(ReceiveActor).IsAssignableFrom(typeof(DelaySim.Host.Live.LiveWorkerActor)));
    }

    [Fact]
    public void The_engines_props_come_from_a_delegate_not_from_an_expression()
    {
        // Props.Create(() => new X(a, b)) keeps the arguments it read out of the expression; produced props keep none.
        Assert.NotEmpty(Props.Create(() => new Echo("x")).Arguments);
        var replicate = SpecBuilder.Fixed(2).Replicate();
        Props[] props =
        [
            RunActor.Props(replicate, 0), MonitorActor.Props(replicate, 0, TestActor), ClockActor.Props(TestActor),
            StalenessWorkerActor.Props(replicate), StalenessServerActor.Props(replicate, [TestActor], TestActor), TimeServerActor.Props(replicate, TestActor),
        ];
        Assert.All(props, p => Assert.Empty(p.Arguments));
        Assert.Equal([typeof(RunActor), typeof(MonitorActor), typeof(ClockActor), typeof(StalenessWorkerActor), typeof(StalenessServerActor), typeof(TimeServerActor)],
            props.Select(p => p.Type));
    }

    [Fact]
    public void Produced_props_build_the_actor_again_with_the_delegate_when_it_restarts()
    {
        var built = 0;
        // Copied by WithDispatcher, as every engine actor's props are (they run on their run's dispatcher).
        var echo = Sys.ActorOf(Produce.Props(() => { built++; return new Echo("echo: "); }).WithDispatcher(Akka.Dispatch.Dispatchers.DefaultDispatcherId));
        echo.Tell("hi");
        ExpectMsg("echo: hi");
        echo.Tell("boom"); // throws once: the default supervisor restarts it
        echo.Tell("again");
        ExpectMsg("echo: again");
        Assert.Equal(2, built);
    }
}

using Akka.Actor;
using Akka.TestKit.Xunit2;
using DelaySim.Actors;

namespace DelaySim.Tests.Actors;

/// <summary>
/// The engine's actors (and the live ones) avoid what the native build can only interpret: a <c>ReceiveActor</c>'s handlers and
/// <c>Props.Create(() =&gt; new ...)</c> are built from expression trees (4 % of a one-core actor run when interpreted).
/// </summary>
public class ActorShapeTests() : TestKit("akka.loglevel = WARNING")
{
    sealed class Echo(string prefix) : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(prefix + message);
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
    public void Produced_props_build_the_actor_with_the_delegate_and_carry_no_constructor_arguments()
    {
        var built = 0;
        var props = Produce.Props(() => { built++; return new Echo("echo: "); });
        Assert.Equal(typeof(Echo), props.Type);
        Assert.Empty(props.Arguments); // nothing was read out of an expression

        Sys.ActorOf(props.WithDispatcher(Akka.Dispatch.Dispatchers.DefaultDispatcherId)).Tell("hi");
        ExpectMsg("echo: hi");
        Assert.Equal(1, built);
    }
}

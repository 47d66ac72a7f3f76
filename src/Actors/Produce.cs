using Akka.Actor;

namespace DelaySim.Actors;

/// <summary>
/// Props that build their actor with a plain delegate. <c>Props.Create(() =&gt; new X(...))</c> takes an expression
/// tree and reads the constructor's arguments out of it on every call, which the native build (no JIT) can only
/// interpret; a run creates four actors per replicate and one per worker, so their props are made this way.
/// </summary>
public static class Produce
{
    public static Props Props<TActor>(Func<TActor> create) where TActor : ActorBase => Akka.Actor.Props.CreateBy(new Producer<TActor>(create));

    sealed class Producer<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);
        public ActorBase Produce() => create();
        public void Release(ActorBase actor) { }
    }
}

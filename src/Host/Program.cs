using DelaySim.Host;

// A standing node idles between runs, and its thread-pool workers, woken by Akka's 10 ms scheduler ticks and the
// cluster's heartbeats, each spun on sched_yield before they slept: 6 % of a core while idle, 16 k context switches a
// second on one core (docs/PERFORMANCE.md, eighteenth session). The pool reads this once, when it starts its first
// worker, so it is set before anything runs. Other commands keep the default: their runs were no faster without it.
if (args is ["node", ..]) AppContext.SetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0);
return await Cli.RunAsync(args);

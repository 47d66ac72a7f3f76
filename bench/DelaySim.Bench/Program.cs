using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args.Length > 0 && args[0] == "--interleaved-rules")
{
    DelaySim.Bench.InterleavedRules.Run(args.Length > 1 ? int.Parse(args[1]) : 30, args.Length > 2 ? int.Parse(args[2]) : 22);
    return;
}

// In-process and short: the default toolchain rebuilds a project per run, which takes minutes on 2 cores.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(DelaySim.Bench.EngineBenchmarks).Assembly).Run(args, config);

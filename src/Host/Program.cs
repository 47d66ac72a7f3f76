using System.CommandLine;
using DelaySim.Host;
using DelaySim.Host.Commands;
using Serilog;

AkkaSetup.ConfigureLogging();
var root = new RootCommand("DelaySim: what does asynchronous delay do to a model? Deterministic delayed-SGD simulations on Akka.NET.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
var code = await root.Parse(args).InvokeAsync();
await Log.CloseAndFlushAsync();
return code;

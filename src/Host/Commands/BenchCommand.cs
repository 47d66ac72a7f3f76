using DelaySim.Workloads;
using System.CommandLine;
using System.Globalization;
using DelaySim.Host.Pipeline;
using Spectre.Console;

namespace DelaySim.Host.Commands;

/// <summary><c>delaysim bench</c>: quick updates/s of both engines (BenchmarkDotNet's suite in bench/ is the careful one).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var dims = new Option<int[]>("--dims") { DefaultValueFactory = _ => [22, 1000, 5000], AllowMultipleArgumentsPerToken = true, Description = "Parameter dimensions d." };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 1.0, Description = "Wall time per measurement." };
        var command = new Command("bench", "Measure single-sample updates/s of the direct and the actor engine.") { dims, seconds };
        command.SetAction((parse, _) => Exit.Guard(async () =>
        {
            if (!(parse.GetValue(seconds) is > 0 and <= 3600)) throw new Model.BadInputException($"--seconds {parse.GetValue(seconds)}: expected a wall time above 0 and at most 3600");
            if (parse.GetValue(dims)!.Any(d => d < 1 || d > 10_000_000))
                throw new Model.BadInputException($"--dims: every dimension must be from 1 to 10,000,000 (got {string.Join(" ", parse.GetValue(dims)!)})");
            var system = AkkaSetup.CreateSystem();
            var table = new Table().Title("trajectory updates per second (batch 1, τ = 4, no twins)");
            foreach (var c in new[] { "d", "direct", "actors", "actors / direct" }) table.AddColumn(new TableColumn(c).RightAligned());
            foreach (var d in parse.GetValue(dims)!)
            {
                var direct = Throughput.Measure(EngineKind.Direct, d, parse.GetValue(seconds), null);
                var actors = Throughput.Measure(EngineKind.Actors, d, parse.GetValue(seconds), system);
                table.AddRow(d.ToString(CultureInfo.InvariantCulture), Rate(direct.UpdatesPerSecond), Rate(actors.UpdatesPerSecond),
                    (actors.UpdatesPerSecond / direct.UpdatesPerSecond).ToString("P0", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);

            var time = new Table().Title("time domain: updates per second (16 workers, batch 1, no twins)");
            foreach (var c in new[] { "d", "direct", "actors", "actors / direct" }) time.AddColumn(new TableColumn(c).RightAligned());
            foreach (var d in parse.GetValue(dims)!.Take(1))
            {
                var direct = Throughput.Measure(EngineKind.Direct, d, parse.GetValue(seconds), null, timeDomain: true);
                var actors = Throughput.Measure(EngineKind.Actors, d, parse.GetValue(seconds), system, timeDomain: true);
                time.AddRow(d.ToString(CultureInfo.InvariantCulture), Rate(direct.UpdatesPerSecond), Rate(actors.UpdatesPerSecond),
                    (actors.UpdatesPerSecond / direct.UpdatesPerSecond).ToString("P0", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(time);

            var delays = new Table().Title("delay sampling: draws per second, one stream, one thread");
            foreach (var c in new[] { "model", "draws/s" }) delays.AddColumn(new TableColumn(c).RightAligned());
            foreach (var (name, model) in Throughput.DelayModels)
                delays.AddRow(name, Rate(Throughput.DrawsPerSecond(model, parse.GetValue(seconds) / 2)));
            AnsiConsole.Write(delays);
            await system.Terminate();
            return Exit.Ok;
        }));
        return command;
    }

    static string Rate(double r) => r >= 1e6 ? $"{r / 1e6:0.00} M/s" : $"{r / 1e3:0.0} k/s";
}

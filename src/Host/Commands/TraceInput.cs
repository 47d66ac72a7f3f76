using System.CommandLine;
using DelaySim.Model;
using DelaySim.Model.Delays;

namespace DelaySim.Host.Commands;

/// <summary>
/// The options that say how a measured trace is laid out (<c>--format</c>, <c>--worker</c>, <c>--step</c>,
/// <c>--value</c>, <c>--scale</c>, <c>--offset</c>), shared by <c>fit</c> and <c>delays --against</c>, and the
/// reading of a trace into one value stream per worker, in step order.
/// </summary>
internal sealed class TraceInput
{
    public enum Format { Project, Long, Wide }

    readonly Option<Format> _format = new("--format") { DefaultValueFactory = _ => Format.Project, Description = "Trace layout: project (worker,step,delay or worker,time,delay), long (named columns) or wide (one column per worker; a single column for one stream)." };
    readonly Option<string> _worker = new("--worker") { DefaultValueFactory = _ => "worker", Description = "With --format long: the worker column." };
    readonly Option<string> _step = new("--step") { DefaultValueFactory = _ => "step", Description = "With --format long: the step column." };
    readonly Option<string?> _value = new("--value") { Description = "With --format long: the value column (default 'delay'). For a live run's trace.csv: compute (default), compute-real, uplink, uplink-network, downlink, round-trip or staleness." };
    readonly Option<double> _scale = new("--scale") { DefaultValueFactory = _ => 1, Description = "Multiply every trace value (units to seconds)." };
    readonly Option<double> _offset = new("--offset") { DefaultValueFactory = _ => 0, Description = "Add to every trace value after scaling." };
    readonly Option<int?> _only = new("--only-worker") { Description = "Keep one worker's stream (a wide table's column, counted from 0)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _format, _worker, _step, _value, _scale, _offset, _only }) command.Options.Add(option);
    }

    public (Format Format, TraceTable Table, int? Only) From(ParseResult parse)
    {
        var format = parse.GetValue(_format);
        return (format, new TraceTable(format == Format.Wide ? TraceFormat.Wide : TraceFormat.Long, parse.GetValue(_worker)!, parse.GetValue(_step)!,
            parse.GetValue(_value), parse.GetValue(_scale), parse.GetValue(_offset)), parse.GetValue(_only));
    }

    /// <summary>Each worker's values in step order (or only worker <paramref name="only"/>'s); exit 2 naming the file or the option when they cannot be read.</summary>
    public static IReadOnlyDictionary<int, double[]> Read(string path, Format format, TraceTable table, int? only = null)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: trace file not found");
        if (!(table.Scale > 0) || !double.IsFinite(table.Scale)) throw new BadInputException($"--scale {table.Scale}: expected a number above 0");
        if (!double.IsFinite(table.Offset)) throw new BadInputException($"--offset {table.Offset}: expected a finite number");
        // A live run's trace.csv: --value names the delay to derive (compute by default), in wall seconds.
        var streams = Live.LiveTrace.IsTrace(path)
            ? Live.LiveTrace.Streams(path, table.ValueColumn ?? "compute").ToDictionary(s => s.Key, s => s.Value.Select(v => v * table.Scale + table.Offset).ToArray())
            : (format == Format.Project ? TraceModel.Read(path) : table.Read(path)).Rows.ToDictionary(r => r.Key, r => r.Value.Select(v => v.Delay).ToArray());
        if (only is not { } w) return streams;
        return streams.TryGetValue(w, out var one)
            ? new Dictionary<int, double[]> { [0] = one }
            : throw new BadInputException($"--only-worker {w}: {path} has workers {string.Join(", ", streams.Keys.Order())}");
    }
}

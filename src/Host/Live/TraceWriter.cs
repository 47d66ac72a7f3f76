using System.Globalization;
using System.Text;

namespace DelaySim.Host.Live;

/// <summary>One row of trace.csv: an applied gradient, or a worker lost with the gradient it was computing.</summary>
/// <param name="Host">The node the worker ran on; its clock took Pull … Send. Served and Arrival are the server's clock.</param>
internal sealed record TraceRow(
    string Event, long? Step, int Worker, long Version, int[] Samples, string Host,
    double Served, double Pull, double Computed, double ComputeEnd, double Send, double Arrival,
    double InjectedDownlink, double InjectedCompute, double InjectedUplink);

/// <summary>
/// Writes trace.csv row by row, each row in one write and flushed at once, so a coordinator killed mid-run leaves a
/// file that is valid up to its last complete row (replay reads that far).
/// </summary>
internal sealed class TraceWriter : IDisposable
{
    public const string FileName = "trace.csv";
    public const string Header = "event,step,worker,version,samples,host,served,pull,computed,compute_end,send,arrival,injected_downlink,injected_compute,injected_uplink";

    readonly StreamWriter _file;

    public TraceWriter(string folder)
    {
        _file = new StreamWriter(Path.Combine(folder, FileName), append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        _file.Write(Header + "\n");
        _file.Flush();
    }

    public List<TraceRow> Rows { get; } = [];

    public void Write(TraceRow r)
    {
        Rows.Add(r);
        var line = string.Join(',',
            r.Event, r.Step?.ToString(CultureInfo.InvariantCulture) ?? "", I(r.Worker), I(r.Version), string.Join(' ', r.Samples), r.Host,
            T(r.Served), T(r.Pull), T(r.Computed), T(r.ComputeEnd), T(r.Send), T(r.Arrival),
            T(r.InjectedDownlink), T(r.InjectedCompute), T(r.InjectedUplink)) + "\n";
        _file.Write(line);
        _file.Flush();
    }

    static string I(long x) => x.ToString(CultureInfo.InvariantCulture);

    /// <summary>Seconds to the nanosecond; NaN (a time not taken, e.g. for a lost worker) as an empty field.</summary>
    static string T(double seconds) => double.IsNaN(seconds) ? "" : seconds.ToString("F9", CultureInfo.InvariantCulture);

    public void Dispose() => _file.Dispose();
}

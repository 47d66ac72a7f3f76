using System.Globalization;
using System.Text;

namespace DelaySim.Host.Output;

/// <summary>
/// CSV with invariant, shortest round-trip numbers ("R"), "\n" line ends and no timestamps, so the same results give the
/// same bytes on every machine and locale.
/// </summary>
internal sealed class Csv
{
    readonly StringBuilder _text = new();

    public Csv(params string[] header) => Row(header);

    public Csv Row(params object[] fields)
    {
        _text.AppendJoin(',', fields.Select(Format)).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();

    /// <summary>The fields of one line as <see cref="Format"/> writes them (quotes around fields with commas or quotes).</summary>
    public static string[] Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields.ToArray();
    }

    /// <summary>A field written by <see cref="Format"/> read back as a number; NaN when it is not one (empty, a label).</summary>
    public static double Number(string field) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : double.NaN;

    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s when s.IndexOfAny([',', '"', '\n']) >= 0 => $"\"{s.Replace("\"", "\"\"")}\"",
        _ => value.ToString() ?? "",
    };
}

using System.CommandLine;
using System.Globalization;
using DelaySim.Host.Output;
using DelaySim.Model;
using Spectre.Console;

namespace DelaySim.Host.Commands;

/// <summary>
/// <c>delaysim compare DIR_A DIR_B [--tolerance 1e-9]</c>: the cells whose summary.csv metrics differ by more than a
/// relative tolerance (|a − b| / max(|a|, |b|)), and cells present in only one run. Exit 0 when none, 4 otherwise.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("dir-a") { Description = "First run folder." };
        var b = new Argument<string>("dir-b") { Description = "Second run folder." };
        var tolerance = new Option<double>("--tolerance") { DefaultValueFactory = _ => 1e-9, Description = "Relative tolerance per metric." };
        var command = new Command("compare", "List the cells whose metrics differ between two runs.") { a, b, tolerance };
        command.SetAction((parse, _) => Exit.Guard(() => Task.FromResult(Compare(parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(tolerance)))));
        return command;
    }

    public static int Compare(string dirA, string dirB, double tolerance)
    {
        var (header, rowsA) = Read(dirA);
        var (_, rowsB) = Read(dirB);
        var table = new Table().Title($"{dirA} vs {dirB} (relative tolerance {tolerance:G3})");
        foreach (var c in new[] { "cell", "metric", "a", "b", "relative difference" }) table.AddColumn(c);
        var differences = 0;
        foreach (var cell in rowsA.Keys.Union(rowsB.Keys).Order(StringComparer.Ordinal))
        {
            var ra = rowsA.GetValueOrDefault(cell);
            var rb = rowsB.GetValueOrDefault(cell);
            if (ra is null || rb is null)
            {
                table.AddRow(Markup.Escape(cell), "(cell)", ra is null ? "absent" : "present", rb is null ? "absent" : "present", "–");
                differences++;
                continue;
            }
            for (var i = 1; i < header.Length; i++)
            {
                // estimators_agree is derived from the compared intervals; the labels (cell, delay) identify the setup.
                if (ra[i] == rb[i] || header[i] == "estimators_agree") continue;
                var numeric = double.TryParse(ra[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) &
                              double.TryParse(rb[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var y);
                var relative = numeric ? Math.Abs(x - y) / Math.Max(Math.Max(Math.Abs(x), Math.Abs(y)), double.Epsilon) : double.PositiveInfinity;
                if (numeric && relative <= tolerance) continue;
                table.AddRow(Markup.Escape(cell), Markup.Escape(header[i]), Markup.Escape(ra[i]), Markup.Escape(rb[i]), numeric ? relative.ToString("G3", CultureInfo.InvariantCulture) : "not a number");
                differences++;
            }
        }
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 132);
        if (differences == 0) AnsiConsole.MarkupLine($"[green]no differences[/] beyond {tolerance:G3} in {rowsA.Count} cells");
        else AnsiConsole.Write(table);
        return differences == 0 ? Exit.Ok : Exit.Mismatch;
    }

    static (string[] Header, Dictionary<string, string[]> Rows) Read(string folder)
    {
        var path = Path.Combine(folder, "summary.csv");
        if (!File.Exists(path)) throw new BadInputException($"{path}: not found (is {folder} a run folder?)");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("cell,", StringComparison.Ordinal))
            throw new BadInputException($"{path}: not a DelaySim summary (expected a header starting with 'cell,')");
        var header = lines[0].Split(',');
        // Cell names never contain commas (sweep points use ';'), and the delay label is quoted when it does.
        var rows = new Dictionary<string, string[]>();
        foreach (var (line, number) in lines.Skip(1).Select((l, i) => (l, i + 2)))
        {
            var row = Csv.Split(line);
            if (row.Length != header.Length || !rows.TryAdd(row[0], row))
                throw new BadInputException($"{path}:{number}: expected {header.Length} fields and a cell name seen once");
        }
        return (header, rows);
    }
}

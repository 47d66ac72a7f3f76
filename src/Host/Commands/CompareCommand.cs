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
        RunFolderGuard.RefuseLive(dirA, "compare");
        RunFolderGuard.RefuseLive(dirB, "compare");
        var (header, rowsA, namesA) = Read(dirA);
        var (headerB, rowsB, namesB) = Read(dirB);
        if (ByPosition(header, rowsA, namesA, rowsB, namesB) is { } renamed) (rowsB, namesB) = renamed;
        var table = new Table().Title($"{dirA} vs {dirB} (relative tolerance {tolerance:G3})");
        foreach (var c in new[] { "cell", "metric", "a", "b", "relative difference" }) table.AddColumn(c);
        var differences = 0;
        var differing = new List<string>();
        foreach (var key in rowsA.Keys.Union(rowsB.Keys).Order(StringComparer.Ordinal))
        {
            var ra = rowsA.GetValueOrDefault(key);
            var rb = rowsB.GetValueOrDefault(key);
            var cell = (ra ?? rb)![0];
            if (ra is null || rb is null)
            {
                table.AddRow(Markup.Escape(cell), "(cell)", ra is null ? "absent" : "present", rb is null ? "absent" : "present", "–");
                differences++;
                continue;
            }
            // Columns by name: runs of different formats may have different ones (held); those in one run only are listed below.
            foreach (var column in header.Skip(1).Intersect(headerB.Skip(1)))
            {
                var (va, vb) = (ra[Array.IndexOf(header, column)], rb[Array.IndexOf(headerB, column)]);
                // estimators_agree is derived from the compared intervals; the cell's name may differ between formats.
                if (va == vb || column == "estimators_agree") continue;
                var numeric = double.TryParse(va, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) &
                              double.TryParse(vb, NumberStyles.Float, CultureInfo.InvariantCulture, out var y);
                var relative = numeric ? Math.Abs(x - y) / Math.Max(Math.Max(Math.Abs(x), Math.Abs(y)), double.Epsilon) : double.PositiveInfinity;
                if (numeric && relative <= tolerance) continue;
                table.AddRow(Markup.Escape(cell), Markup.Escape(column), Markup.Escape(va), Markup.Escape(vb), numeric ? relative.ToString("G3", CultureInfo.InvariantCulture) : "not a number");
                differences++;
                if (!differing.Contains(key)) differing.Add(key);
            }
        }
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 132);
        if (header.Skip(1).Except(headerB).Concat(headerB.Skip(1).Except(header)).ToArray() is { Length: > 0 } oneSided)
            AnsiConsole.MarkupLine(Markup.Escape($"not compared, in one run only: {string.Join(", ", oneSided)}"));
        if (differences == 0) AnsiConsole.MarkupLine($"[green]no differences[/] beyond {tolerance:G3} in {rowsA.Count} cells");
        else
        {
            AnsiConsole.Write(table);
            PrintPaired(dirA, dirB, differing, namesA, namesB);
        }
        return differences == 0 ? Exit.Ok : Exit.Mismatch;
    }

    /// <summary>
    /// summary.csv's rows by what identifies a cell: its swept values and delay (format 2, so runs whose cells were
    /// renamed still match), or its name; the header has the swept columns removed so both runs' metrics line up.
    /// </summary>
    static (string[] Header, Dictionary<string, string[]> Rows, Dictionary<string, string> Names) Read(string folder)
    {
        var path = Path.Combine(folder, "summary.csv");
        if (!File.Exists(path)) throw new BadInputException($"{path}: not found (is {folder} a run folder?)");
        var lines = File.ReadAllLines(path);
        var header = lines.Length == 0 ? [] : Csv.Split(lines[0]);
        var cell = Array.IndexOf(header, "cell");
        if (cell < 0) throw new BadInputException($"{path}: not a DelaySim summary (expected a header with a 'cell' column)");
        var rows = new Dictionary<string, string[]>();
        var names = new Dictionary<string, string>();
        foreach (var (line, number) in lines.Skip(1).Select((l, i) => (l, i + 2)))
        {
            var row = Csv.Split(line);
            if (row.Length != header.Length) throw new BadInputException($"{path}:{number}: expected {header.Length} fields, found {row.Length}");
            // Swept values and the delay label (fixed(8), uniform(16), time domain, …) identify a cell whatever it is called.
            var key = cell == 0 ? row[0] : string.Join(";", header[..cell].Select((h, i) => $"{h}={row[i]}")) + $";{row[cell + 1]}";
            if (!rows.TryAdd(key, row[cell..])) throw new BadInputException($"{path}:{number}: cell {row[cell]} appears twice");
            names[key] = row[cell];
        }
        return (header[cell..], rows, names);
    }

    /// <summary>
    /// B's rows under A's keys when no key matches but both runs list the same setups in the same order (delay, n, η,
    /// budget, seeds): a run folder of format 1 (cells by name) against one of format 2 (cells by swept values).
    /// </summary>
    static (Dictionary<string, string[]>, Dictionary<string, string>)? ByPosition(string[] header, Dictionary<string, string[]> rowsA, Dictionary<string, string> namesA,
        Dictionary<string, string[]> rowsB, Dictionary<string, string> namesB)
    {
        if (rowsA.Count != rowsB.Count || rowsA.Keys.Intersect(rowsB.Keys).Any()) return null;
        var setup = new[] { "delay", "n", "eta", "iterations", "seeds" }.Select(c => Array.IndexOf(header, c)).ToArray();
        var pairs = rowsA.Keys.Zip(rowsB.Keys).ToArray();
        if (!pairs.All(p => setup.All(i => rowsA[p.First][i] == rowsB[p.Second][i]))) return null;
        return (pairs.ToDictionary(p => p.First, p => rowsB[p.Second]), pairs.ToDictionary(p => p.First, p => namesB[p.Second]));
    }

    /// <summary>
    /// Replicate r's final train loss, test loss and gap per cell, from metrics.csv (the last checkpoint of each
    /// replicate), leaving out replicates that diverged as summary.csv does (a final train loss non-finite or above 100×
    /// the initial one): what paired differences between two runs with the same master seed need.
    /// </summary>
    static Dictionary<(string Cell, string Replicate), double[]> Finals(string folder)
    {
        var finals = new Dictionary<(string, string), double[]>();
        var initial = new Dictionary<(string, string), double>();
        var path = Path.Combine(folder, "metrics.csv");
        if (!File.Exists(path)) return finals;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = Csv.Split(line);
            if (f.Length < 6) continue;
            initial.TryAdd((f[0], f[1]), Csv.Number(f[3]));
            finals[(f[0], f[1])] = [Csv.Number(f[3]), Csv.Number(f[4]), Csv.Number(f[5])];
        }
        return finals.Where(e => e.Value[0] <= 100 * initial[e.Key]).ToDictionary();
    }

    static string? MasterSeed(string folder)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
            return json.RootElement.TryGetProperty("master-seed", out var seed) ? seed.GetRawText() : null;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null; // no paired differences without a readable seed; the summary comparison stands
        }
    }

    /// <summary>
    /// With the same master seed the two runs' replicate r share their random numbers, so B − A per replicate is a
    /// paired difference: its mean and 95 % interval per matched cell, for the final train loss, test loss and gap.
    /// </summary>
    static void PrintPaired(string dirA, string dirB, IEnumerable<string> keys, Dictionary<string, string> namesA, Dictionary<string, string> namesB)
    {
        var seedA = MasterSeed(dirA);
        if (seedA is null || seedA != MasterSeed(dirB)) return;
        var (a, b) = (Finals(dirA), Finals(dirB));
        var table = new Table().Title($"paired differences B − A over common seeds (master seed {seedA}); ± = 95 % interval, * = it excludes 0");
        foreach (var c in new[] { "cell", "Δ train loss", "Δ test loss", "Δ gap", "pairs" }) table.AddColumn(c);
        foreach (var key in keys)
        {
            var pairs = a.Where(e => e.Key.Cell == namesA[key]).Select(e => (A: e.Value, B: b.GetValueOrDefault((namesB[key], e.Key.Replicate))))
                .Where(p => p.B is not null && p.A.Concat(p.B).All(double.IsFinite)).ToArray();
            if (pairs.Length < 2) continue;
            var columns = Enumerable.Range(0, 3).Select(m =>
            {
                var d = pairs.Select(p => p.B![m] - p.A[m]).ToArray();
                var (mean, half) = (MathNet.Numerics.Statistics.Statistics.Mean(d), DelaySim.Model.Engine.CellSummary.HalfWidth(d));
                return NumberText.PlusMinus(mean, half) + (Math.Abs(mean) > half ? " *" : "");
            });
            table.AddRow([Markup.Escape(namesB[key]), .. columns, pairs.Length.ToString(CultureInfo.InvariantCulture)]);
        }
        if (table.Rows.Count > 0) AnsiConsole.Write(table);
    }
}

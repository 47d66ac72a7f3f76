using System.Net;
using System.Text;
using System.Text.Json;

namespace DelaySim.Host.Output;

/// <summary>
/// report.html: one self-contained page per run folder (plots embedded as data URIs, no external assets): the scenario,
/// the paired contrasts, a rounded summary table, the theory overlays, the plots, per-worker staleness and realized vs declared delays, the staleness histograms and the
/// timings. Built only from the folder's files, so <c>delaysim report DIR</c> rebuilds it any time. It contains the
/// timings, so unlike summary.csv it is not byte-for-byte reproducible.
/// </summary>
internal static class Report
{
    public static string Write(string folder)
    {
        string Read(string name) => File.Exists(Path.Combine(folder, name)) ? File.ReadAllText(Path.Combine(folder, name)) : "";
        RunFolderGuard.RefuseLive(folder, "report");
        var manifest = Read("manifest.json");
        if (manifest.Length == 0) throw new Model.BadInputException($"{folder}: no manifest.json (is it a run folder?)");
        var name = RunFolderGuard.ReadString(Path.Combine(folder, "manifest.json"), "scenario", "name"); // exit 2 on a damaged manifest
        var root = JsonDocument.Parse(manifest).RootElement;
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>DelaySim report: {{E(name)}}</title>
            <style>
            body { font-family: "DejaVu Sans", sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }
            th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: right; }
            th { background: #eee; } td:first-child, th:first-child { text-align: left; }
            pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
            img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
            </style></head><body>
            <h1>DelaySim report: {{E(name)}}</h1>
            <p>scenario hash <code>{{E(root.GetProperty("scenario-hash").GetString())}}</code>, master seed {{root.GetProperty("master-seed")}},
            engine {{E(root.GetProperty("engine").GetString())}}, DelaySim {{E(root.GetProperty("delaysim-version").GetString())}}</p>
            """);
        if (Read(Contrasts.FileName) is { Length: > 0 } contrasts)
            html.Append("<h2 id=\"contrasts\">Paired contrasts</h2><p>Each cell minus its baseline (the cell that differs only in one swept dimension), over common seeds; ± is the 95 % interval of the paired difference, <b>bold</b> where it excludes 0. All metrics and t statistics: <a href=\"contrasts.csv\">contrasts.csv</a>.</p>")
                .Append(ContrastTable(contrasts));
        html.Append("<h2 id=\"summary\">Summary</h2><p>Means over the seeds that did not diverge, ± the 95 % interval; every column: <a href=\"summary.csv\">summary.csv</a>.</p>")
            .Append(SummaryTable(Read("summary.csv")));
        if (Read("theory.csv") is { Length: > 0 } theory)
            html.Append("<h2 id=\"theory\">Theory overlays (theory.csv; regatti values are log₁₀)</h2>").Append(Table(theory));
        var plots = Path.Combine(folder, "plots");
        if (Directory.Exists(plots))
        {
            html.Append("<h2 id=\"plots\">Plots</h2>");
            foreach (var png in Directory.GetFiles(plots, "*.png").Order(StringComparer.Ordinal))
                html.Append($"<figure><img alt=\"{E(Path.GetFileNameWithoutExtension(png))}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(png))}\"><figcaption>{E(Path.GetFileName(png))}</figcaption></figure>");
        }
        html.Append("<h2 id=\"staleness\">Staleness and delays (realized vs declared means)</h2>").Append(Table(Read("staleness.csv")));
        html.Append("<h2 id=\"histograms\">Staleness histograms</h2><p>Drawn in <code>plots/staleness-histogram.png</code> above (runs with random delays); the counts per cell, replicate and worker: <a href=\"staleness_histogram.csv\">staleness_histogram.csv</a>.</p>");
        html.Append("<h2 id=\"scenario\">Scenario</h2><pre>").Append(E(Read("scenario.hocon"))).Append("</pre>");
        html.Append("<h2 id=\"timings\">Timings</h2><pre>").Append(E(Read("timings.json"))).Append("</pre>");
        html.Append("</body></html>\n");
        var path = Path.Combine(folder, "report.html");
        AtomicFile.Write(path, html.ToString());
        return path;
    }

    static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>summary.csv's swept columns (those before <c>cell</c>), the cell and the headline metrics, rounded.</summary>
    static string SummaryTable(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return "<p>(none)</p>";
        var header = Csv.Split(lines[0]);
        int At(string name) => Array.IndexOf(header, name);
        var swept = header[..At("cell")];
        var columns = new[] { "τ̂", "η", "train loss", "test loss", "gap", "stability loss", "mean staleness", "diverged" };
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var h in swept.Append("cell").Concat(columns)) html.Append($"<th>{E(h)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var line in lines.Skip(1))
        {
            var f = Csv.Split(line);
            string N(string name) => NumberText.Significant(Csv.Number(f[At(name)]));
            var cells = f[..(At("cell") + 1)].Concat([f[At("tau")], N("eta"), N("train_loss"), N("test_loss"),
                NumberText.PlusMinus(Csv.Number(f[At("gen_gap")]), Csv.Number(f[At("gen_gap_ci95")])),
                NumberText.PlusMinus(Csv.Number(f[At("stability_loss")]), Csv.Number(f[At("stability_loss_ci95")])), N("mean_staleness"), f[At("diverged")]]);
            html.Append("<tr>");
            foreach (var c in cells) html.Append($"<td>{E(c)}</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>contrasts.csv as one row per pair of cells: the differences in gap, test loss and stability, with their intervals.</summary>
    static string ContrastTable(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = Csv.Split(lines[0]);
        int At(string name) => Array.IndexOf(header, name);
        if (At("diff") < 0) return Table(csv); // a format-1 folder's layout
        var metrics = new[] { ("gen_gap", "Δ gap"), ("test_loss", "Δ test loss"), ("stability_loss", "Δ stability loss") };
        var html = new StringBuilder("<table><thead><tr><th>dimension</th><th>cell</th><th>baseline</th>");
        foreach (var (_, title) in metrics) html.Append($"<th>{E(title)}</th>");
        html.Append("<th>pairs</th></tr></thead><tbody>");
        foreach (var pair in lines.Skip(1).Select(Csv.Split).GroupBy(f => (f[At("dimension")], f[At("cell")], f[At("baseline")])))
        {
            var byMetric = pair.ToDictionary(f => f[At("metric")]);
            html.Append($"<tr><td>{E(pair.Key.Item1)}</td><td>{E(pair.Key.Item2)}</td><td>{E(pair.Key.Item3)}</td>");
            foreach (var (metric, _) in metrics)
            {
                var f = byMetric[metric];
                double diff = Csv.Number(f[At("diff")]), ci = Csv.Number(f[At("ci95")]);
                var text = E(NumberText.PlusMinus(diff, ci));
                html.Append($"<td>{(Math.Abs(diff) > ci ? $"<b>{text}</b>" : text)}</td>");
            }
            html.Append($"<td>{E(byMetric["gen_gap"][At("n")])}</td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    static string Table(string csv, int maxRows = 10_000)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return "<p>(none)</p>";
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var h in Csv.Split(lines[0])) html.Append($"<th>{E(h)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var line in lines.Skip(1).Take(maxRows))
        {
            html.Append("<tr>");
            foreach (var f in Csv.Split(line)) html.Append($"<td>{E(Shorten(f))}</td>");
            html.Append("</tr>");
        }
        if (lines.Length - 1 > maxRows) html.Append($"<tr><td colspan=\"99\">… {lines.Length - 1 - maxRows} more rows in the CSV</td></tr>");
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>Round-trip numbers are long; the page shows 6 significant digits (the CSV keeps them all).</summary>
    static string Shorten(string field) =>
        double.TryParse(field, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x) && field.Length > 10
            ? x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)
            : field;
}

using System.Diagnostics;
using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>A test that needs Debian's headless Chromium (.ci/run installs it); skipped with the reason when it is absent.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Path)) Skip = "needs Chromium at /usr/bin/chromium (apt-get install chromium; .ci/run does it as root)";
    }
}

[Collection("cli")]
public class ReportTests
{
    static async Task<string> Run()
    {
        var scenario = System.IO.Path.Combine(Scenarios.TempFolder(), "small.hocon");
        File.WriteAllText(scenario, Scenarios.Small);
        var folder = Scenarios.TempFolder();
        Assert.Equal(0, await Cli.RunAsync(["run", scenario, "--out", folder, "--engine", "direct"]));
        return folder;
    }

    [Fact]
    public async Task Every_run_writes_a_self_contained_report_and_report_rebuilds_it()
    {
        var folder = await Run();
        var page = System.IO.Path.Combine(folder, "report.html");
        var html = File.ReadAllText(page);
        Assert.Contains("<h2 id=\"summary\">", html);
        Assert.Contains("<h2 id=\"theory\">", html);
        Assert.Contains("fixed-tau7", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.DoesNotContain("src=\"http", html);
        File.Delete(page);
        Assert.Equal(0, await Cli.RunAsync(["report", folder]));
        Assert.True(File.Exists(page));
        Assert.Equal(2, await Cli.RunAsync(["report", Scenarios.TempFolder()]));
    }

    [ChromiumFact]
    public async Task The_report_renders_in_a_real_headless_browser()
    {
        var folder = await Run();
        var shot = System.IO.Path.Combine(folder, "report.png");
        string[] flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Scenarios.TempFolder()}"];
        var url = new Uri(System.IO.Path.Combine(folder, "report.html")).AbsoluteUri;

        var dom = await Chromium([.. flags, "--dump-dom", url]);
        // The browser parsed the page: the summary rows and all four embedded plots are in its DOM.
        Assert.Contains("fixed-tau3", dom);
        Assert.Equal(4, dom.Split("<img").Length - 1);

        await Chromium([.. flags, "--window-size=1200,1600", $"--screenshot={shot}", url]);
        Assert.True(new FileInfo(shot).Length > 20_000, "the screenshot is nearly empty");
    }

    static async Task<string> Chromium(string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(ChromiumFactAttribute.Path, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return await output;
    }
}

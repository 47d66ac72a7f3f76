using DelaySim.Host.Plots;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

[Collection("cli")]
public class PlotWarmupTests
{
    /// <summary>
    /// The warm-up draws on another thread before a run's plots (on machines with two cores or more): it must leave
    /// nothing behind that changes them, PNG or SVG, and neither must any plot drawn earlier in the process.
    /// </summary>
    [Fact]
    public async Task Plots_drawn_after_the_warm_up_are_the_same_bytes()
    {
        var (folder, outcomes) = await SmallRun.RunAsync();

        var before = Scenarios.TempFolder();
        var written = RunPlots.Write(before, outcomes);
        PlotWarmup.Draw();
        var after = Scenarios.TempFolder();
        RunPlots.Write(after, outcomes);

        Assert.NotEmpty(written);
        Assert.Contains(written, file => file.EndsWith(".svg", StringComparison.Ordinal));
        foreach (var file in written)
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(after, "plots", Path.GetFileName(file))));
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(folder, "plots", Path.GetFileName(file)))); // the run's own
        }
    }

    [Fact]
    public void Svg_clip_ids_are_numbered_from_one_in_order_of_first_use_and_nothing_else_changes()
    {
        const string svg = """<clipPath id="cl_3b"><rect/></clipPath><g clip-path="url(#cl_3b)"><text>cl_3b</text></g><clipPath id="cl_40"/><g clip-path="url(#cl_40)"/>""";
        Assert.Equal("""<clipPath id="cl_1"><rect/></clipPath><g clip-path="url(#cl_1)"><text>cl_3b</text></g><clipPath id="cl_2"/><g clip-path="url(#cl_2)"/>""",
            SvgFile.WithLocalIds(svg));
    }
}

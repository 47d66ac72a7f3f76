using DelaySim.Host.Cluster;

namespace DelaySim.Tests.Host;

public class RunnerPaceTests
{
    static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    /// <summary>
    /// Two single-core runners as on the 14-cell sweep: a's part is 0, b's part is 1; a cell is 10 units and takes
    /// <paramref name="cellMs"/> warm, the first (cold) <paramref name="drawMs"/> more. Each runs its own cells back to
    /// back from t = 0, holding the next one queued; a starts <paramref name="lagMs"/> late. b has finished
    /// <paramref name="cells"/> cells; a has finished one fewer and is running the next (given while the one before ran).
    /// </summary>
    static RunnerPace TwoRunners(int cells, double cellMs = 30, double drawMs = 70, double lagMs = 20)
    {
        var pace = new RunnerPace();
        foreach (var (runner, part, lag, done) in new[] { ("a", 0, lagMs, cells - 1), ("b", 1, 0.0, cells) })
        {
            var t = lag;
            for (var c = 0; c <= done; c++)
            {
                pace.Given(runner, (c, part), 10, cold: c == 0, Ms(c == 0 ? lag : t - cellMs));
                if (c == done) break;   // in hand
                t += c == 0 ? cellMs + drawMs : cellMs;
                pace.Done(runner, (c, part), Ms(t));
            }
        }
        return pace;
    }

    [Fact]
    public void Learns_each_runners_pace_from_warm_cells_and_the_draw_from_cold_ones()
    {
        var pace = TwoRunners(cells: 6);
        Assert.Equal(0.070, pace.DrawSeconds!.Value, 1e-9);
    }

    [Fact]
    public void Before_anything_is_timed_every_cell_is_worth_taking()
    {
        var pace = new RunnerPace();
        pace.Given("a", (0, 0), 10, cold: true, Ms(0));
        Assert.True(pace.WorthTakingCold("b", ["a"], 10, 10, Ms(1)));
    }

    [Fact]
    public void At_the_end_of_a_run_of_small_cells_the_owner_finishes_its_last_cell_before_another_runner_could_draw_its_data()
    {
        var pace = TwoRunners(cells: 6);   // b is done at 250 ms; a ran 5 cells by 240 ms and runs its sixth until 270 ms
        Assert.False(pace.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(250)));   // b: 250 + 70 + 30 > a: 270 + 30
        Assert.True(pace.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 50, Ms(250)));    // 5 cells left: 350 < 270 + 150
    }

    [Fact]
    public void With_cells_much_longer_than_the_draw_the_last_cell_is_worth_taking_unless_its_owner_is_about_to_start_it()
    {
        var late = TwoRunners(cells: 4, cellMs: 1000, lagMs: 500);   // b is done at 4.07 s; a runs its fourth cell until 4.57 s
        Assert.True(late.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(4070)));   // b: 5.14 s < a: 5.57 s
        var close = TwoRunners(cells: 4, cellMs: 1000, lagMs: 20);   // a runs its fourth cell until 4.09 s
        Assert.False(close.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(4070))); // b: 5.14 s > a: 5.09 s
    }

    [Fact]
    public void An_owner_late_on_its_cell_by_more_than_the_draw_loses_its_last_cell_to_a_free_runner()
    {
        var pace = TwoRunners(cells: 6);   // a's sixth cell was due at 270 ms
        Assert.False(pace.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(300)));  // 30 ms late: b 400 > a 330 + 30
        Assert.True(pace.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(400)));   // 130 ms late: b 500 < a 530 + 30
    }

    [Fact]
    public void A_part_whose_runners_are_gone_is_always_worth_taking()
    {
        var pace = TwoRunners(cells: 6);
        pace.Lost("a");
        Assert.True(pace.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(250)));
    }
}

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
    public void An_owner_that_holds_nothing_and_has_not_asked_since_its_last_report_loses_its_cells_once_idle_longer_than_the_draw()
    {
        var pace = TwoRunners(cells: 6);
        pace.Done("a", (5, 0), Ms(270));   // a reports its sixth cell and then asks no more (busy elsewhere, or stuck)
        Assert.False(pace.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(280)));  // b: 380; a: 290 + 30
        Assert.True(pace.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(350)));   // b: 450; a: 430 + 30
    }

    [Fact]
    public void A_report_from_a_runner_that_no_longer_held_the_cell_clears_the_holder_untimed()
    {
        var pace = TwoRunners(cells: 6);
        pace.Given("b", (9, 0), 10, cold: true, Ms(250));          // a's cell, requeued to b while a was unreachable
        Assert.Equal(Ms(250), pace.Done("b", (9, 0), Ms(900), timed: false));   // a came back and reported it first
        Assert.Null(pace.Done("b", (9, 0), Ms(901)));                          // b no longer holds it
        Assert.Equal(0.070, pace.DrawSeconds!.Value, 1e-9);        // no 650 ms "draw" from it
        Assert.True(pace.WorthTakingCold("a", ["b"], units: 10, queuedUnits: 50, Ms(900)));  // b holds nothing late
    }

    [Fact]
    public void Owners_share_a_part_and_one_still_busy_past_the_end_takes_no_share()
    {
        Assert.Equal(0.5, RunnerPace.SharedEnd([(0.1, 0.0)], 5), 1e-12);                 // one owner: free + units × pace
        Assert.Equal(0.25, RunnerPace.SharedEnd([(0.1, 0.0), (0.1, 0.0)], 5), 1e-12);    // two: half the time
        Assert.Equal(0.5, RunnerPace.SharedEnd([(0.1, 0.0), (0.1, 10.0)], 5), 1e-12);    // the second is busy until 10
        Assert.Equal(0.3, RunnerPace.SharedEnd([(0.1, 0.0), (0.1, 0.1)], 5), 1e-12);     // it joins at 0.1: 3 units and 2
    }

    [Fact]
    public void A_part_whose_runners_are_gone_is_always_worth_taking()
    {
        var pace = TwoRunners(cells: 6);
        pace.Lost("a");
        Assert.True(pace.WorthTakingCold("b", ["a"], units: 10, queuedUnits: 10, Ms(250)));
    }
}

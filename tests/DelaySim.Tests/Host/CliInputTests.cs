using DelaySim.Host;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Host;

/// <summary>Command-line values out of range are bad input (exit 2), and seeds take the whole unsigned 64-bit range.</summary>
[Collection("cli")]
public class CliInputTests
{
    [Theory]
    [InlineData("run", "--jobs", "0")]
    [InlineData("run", "--jobs", "-1")]
    [InlineData("bench", "--seconds", "0")]
    [InlineData("bench", "--dims", "0")]
    public async Task An_out_of_range_option_is_exit_2(string command, string option, string value) =>
        Assert.Equal(2, await Cli.RunAsync([command, option, value]));

    [Fact]
    public void The_largest_unsigned_seed_is_accepted_and_a_negative_one_is_not()
    {
        Assert.Equal(ulong.MaxValue, Scenarios.Parse(Scenarios.Small.Edit("seed = 11", "seed = 18446744073709551615")).Seed);
        Assert.Contains("seed", Assert.Throws<DelaySim.Model.BadInputException>(() => Scenarios.Parse(Scenarios.Small.Edit("seed = 11", "seed = -1"))).Message);
    }
}

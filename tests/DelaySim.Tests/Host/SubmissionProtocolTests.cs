using System.Net.Sockets;
using System.Text;
using Akka.TestKit.Xunit2;
using DelaySim.Host.Cluster;
using DelaySim.Model;

namespace DelaySim.Tests.Host;

/// <summary>
/// The line protocol between <c>run --submit</c> and a node's runs port (docs/CLUSTER.md), and the node's door, with an
/// actor probe standing in for the node's submissions actor. ClusterTests run it end to end with real processes.
/// </summary>
[Collection("cli")] // logs through Serilog's static logger, to the console that the cli tests capture
public sealed class SubmissionProtocolTests : TestKit
{
    static readonly SubmitRun Run = new(SubmissionWire.Protocol, "name = x\nseed = 3", "x.hocon", "/tmp", "/tmp/runs/x", "direct", true, 120);

    [Fact]
    public void Every_message_is_one_line_of_the_documented_json_and_reads_back()
    {
        SubmissionMessage[] messages = [Run, new RunQueued(2, "akka.tcp://delaysim@10.0.0.1:4053"), new RunLog(2, "a\nb \"quoted\" ✓"), new RunOutput("│ table │\n"), new RunEnded(2, "bad\nkey"), new RunEnded(0, null)];
        foreach (var message in messages)
        {
            var line = SubmissionWire.Line(message);
            Assert.Equal((byte)'\n', line[^1]);
            Assert.DoesNotContain((byte)'\n', line[..^1]);
            Assert.Equal(message, SubmissionWire.Read(Encoding.UTF8.GetString(line, 0, line.Length - 1)));
        }
        // The shape docs/CLUSTER.md gives, which programs other than delaysim write and read.
        Assert.Equal("""{"type":"queued","ahead":2,"node":"n"}""" + "\n", Encoding.UTF8.GetString(SubmissionWire.Line(new RunQueued(2, "n"))));
        Assert.Equal("""{"type":"ended","exitCode":0,"error":null}""" + "\n", Encoding.UTF8.GetString(SubmissionWire.Line(new RunEnded(0, null))));
        Assert.Equal(Run, SubmissionWire.Read("""{"type":"submit","protocol":1,"scenarioText":"name = x\nseed = 3","origin":"x.hocon","baseDirectory":"/tmp","folder":"/tmp/runs/x","engine":"direct","force":true,"width":120}"""));
        // Keys in any order, the type too; maxMemory may be left out.
        Assert.Equal(new RunQueued(1, "n"), SubmissionWire.Read("""{"node":"n","ahead":1,"type":"queued"}"""));
        foreach (var bad in new[] { "", "hello", "{}", """{"type":"shutdown"}""", "[1, 2]", """{"type":"queued","ahead":"two"}""", "null" })
            Assert.Null(SubmissionWire.Read(bad));
        // A submit line without a field, or with null where none is allowed, is refused by the field's name.
        Assert.Null(SubmissionWire.Read("""{"type":"submit","protocol":1,"origin":"x.hocon","baseDirectory":"/tmp","folder":"/tmp/x","engine":"direct","force":true,"width":120}""", out var missing));
        Assert.Contains("scenarioText", missing);
        Assert.Null(SubmissionWire.Read("""{"type":"submit","protocol":1,"scenarioText":null,"origin":"x.hocon","baseDirectory":"/tmp","folder":"/tmp/x","engine":"direct","force":true,"width":120}""", out var nulled));
        Assert.Contains("scenarioText", nulled);
    }

    /// <summary>Hands out one byte a read, so every line and every multi-byte character is split across reads.</summary>
    sealed class Trickle(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], cancel);
    }

    [Fact]
    public async Task Lines_are_read_whole_however_they_arrive_and_a_line_too_long_or_cut_off_is_an_error()
    {
        var text = "first ✓\n\n" + new string('x', 40_000) + "\nlast\n";
        var reader = new LineReader(new Trickle(Encoding.UTF8.GetBytes(text)), 50_000);
        Assert.Equal("first ✓", await reader.ReadLineAsync());
        Assert.Equal("", await reader.ReadLineAsync());
        Assert.Equal(40_000, (await reader.ReadLineAsync())!.Length);
        Assert.Equal("last", await reader.ReadLineAsync());
        Assert.Null(await reader.ReadLineAsync());

        await Assert.ThrowsAsync<InvalidDataException>(() => new LineReader(new MemoryStream(new byte[100_000]), 50_000).ReadLineAsync());
        await Assert.ThrowsAsync<InvalidDataException>(() => new LineReader(new MemoryStream("no newline"u8.ToArray()), 50_000).ReadLineAsync());
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", SubmissionWire.DefaultPort)]
    [InlineData("127.0.0.1:5000", "127.0.0.1", 5000)]
    [InlineData("node-7.example.org:4100", "node-7.example.org", 4100)]
    [InlineData("[::1]:6000", "::1", 6000)]
    [InlineData("[::1]", "::1", SubmissionWire.DefaultPort)]
    public void A_runs_address_is_a_host_and_a_port_that_defaults_to_the_nodes_default(string address, string host, int port) =>
        Assert.Equal((host, port), Submission.ParseAddress(address));

    [Theory]
    [InlineData("akka.tcp://delaysim@127.0.0.1:4053", "not a cluster address")]
    [InlineData("127.0.0.1:port", "expected HOST[:PORT]")]
    [InlineData("127.0.0.1:4052/runs", "expected HOST[:PORT]")]
    [InlineData("user@127.0.0.1", "expected HOST[:PORT]")]
    [InlineData("", "expected HOST[:PORT]")]
    public void Anything_else_is_refused_with_what_was_expected(string address, string expected) =>
        Assert.Contains(expected, Assert.Throws<BadInputException>(() => Submission.ParseAddress(address)).Message);

    static async Task<(TcpClient Tcp, NetworkStream Stream, LineReader Lines)> Connect(SubmissionDoor door)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", door.Port);
        var stream = tcp.GetStream();
        return (tcp, stream, new LineReader(stream, SubmissionWire.MaxLine));
    }

    [Fact]
    public async Task The_door_hands_a_run_to_the_node_and_carries_its_answers_back_in_order_then_closes()
    {
        using var door = SubmissionDoor.Bind("127.0.0.1", 0);
        door.Open(TestActor);
        var (tcp, stream, lines) = await Connect(door);
        using var _ = tcp;
        await stream.WriteAsync(SubmissionWire.Line(Run));

        var submitted = ExpectMsg<SubmissionsActor.Submitted>();
        Assert.Equal(Run, submitted.Run);
        Assert.Equal(Run.Folder, submitted.Client.Folder);
        submitted.Client.Tell(new RunQueued(0, "node"));
        for (var i = 0; i < 200; i++) submitted.Client.Tell(new RunLog(2, $"line {i}"));
        submitted.Client.End(new RunEnded(3, null));
        submitted.Client.Tell(new RunOutput("after the end: never sent"));

        Assert.Equal(new RunQueued(0, "node"), SubmissionWire.Read((await lines.ReadLineAsync())!));
        for (var i = 0; i < 200; i++) Assert.Equal(new RunLog(2, $"line {i}"), SubmissionWire.Read((await lines.ReadLineAsync())!));
        Assert.Equal(new RunEnded(3, null), SubmissionWire.Read((await lines.ReadLineAsync())!));
        Assert.Null(await lines.ReadLineAsync()); // and the node closed the connection
    }

    [Fact]
    public async Task A_connection_that_sends_no_run_or_another_protocol_version_is_answered_as_bad_input_and_closed()
    {
        using var door = SubmissionDoor.Bind("127.0.0.1", 0);
        door.Open(TestActor);
        foreach (var (line, expected) in new[] { ("GET / HTTP/1.1", "expected a line {\"type\":\"submit\""), (Encoding.UTF8.GetString(SubmissionWire.Line(Run with { Protocol = 7 })).TrimEnd(), "version 7") })
        {
            var (tcp, stream, lines) = await Connect(door);
            using var _ = tcp;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
            var answer = Assert.IsType<RunEnded>(SubmissionWire.Read((await lines.ReadLineAsync())!));
            Assert.Equal(2, answer.ExitCode);
            Assert.Contains(expected, answer.Error);
            Assert.Null(await lines.ReadLineAsync());
        }
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // nothing reached the node
    }

    [Fact]
    public async Task A_client_that_hangs_up_is_not_written_to_and_the_run_can_still_end()
    {
        using var door = SubmissionDoor.Bind("127.0.0.1", 0);
        door.Open(TestActor);
        var (tcp, stream, _) = await Connect(door);
        await stream.WriteAsync(SubmissionWire.Line(Run));
        var client = ExpectMsg<SubmissionsActor.Submitted>().Client;
        tcp.Dispose();
        await AwaitConditionAsync(() => Task.FromResult(client.Gone), TimeSpan.FromSeconds(10));
        await client.Written.WaitAsync(TimeSpan.FromSeconds(10)); // the writer stopped at once, not at the run's end
        for (var i = 0; i < 1000; i++) client.Tell(new RunLog(2, new string('x', 1000))); // dropped, not queued
        client.End(new RunEnded(0, null));
        await AwaitAssertAsync(() => Assert.Throws<ObjectDisposedException>(() => client.Stream.Write("x"u8)), TimeSpan.FromSeconds(10)); // the door closed it
    }

    [Fact]
    public void A_runs_port_in_use_is_refused_with_the_option_to_change()
    {
        using var first = SubmissionDoor.Bind("127.0.0.1", 0);
        var error = Assert.Throws<BadInputException>(() => SubmissionDoor.Bind("127.0.0.1", first.Port));
        Assert.Contains($"--runs-port {first.Port}: in use on 127.0.0.1", error.Message);
    }
}

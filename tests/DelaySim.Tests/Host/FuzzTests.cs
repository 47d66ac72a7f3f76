using DelaySim.Host;
using DelaySim.Host.Commands;
using DelaySim.Host.Pipeline;
using DelaySim.Host.Scenarios;
using DelaySim.Model;
using DelaySim.Model.Data;
using DelaySim.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace DelaySim.Tests.Host;

/// <summary>
/// A fuzzed front door: FsCheck generators mutate every shipped scenario, delay specs, LIBSVM and idx files and CLI
/// argument lists, and each case must end as exit 0 or a clean exit 2 whose one line names the file (or the option),
/// never exit 1, a stack trace, a stack overflow or a hang. Cases come from a fixed seed, so a failure names its case
/// and reproduces; <c>DELAYSIM_FUZZ_SCALE=20</c> multiplies every case count (see docs/FAILURES.md).
/// </summary>
[Collection("cli")]
public class FuzzTests
{
    static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("DELAYSIM_FUZZ_SCALE"), out var s) && s > 0 ? s : 1;
    static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(20);

    static T[] Cases<T>(Gen<T> gen, int count, ulong seed) => Gen.Sample(gen, count * Scale, new Rnd(seed), 30);

    static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "=", ",", "\"", ":", "#", "\n", "\\", "${a}", "${optimizer.eta}", "${?nope}", "${vars.x}", "x", "include \"nope.hocon\"",
        "0", "-1", "1e308", "NaN", "1e400", "2147483648", "[1, 2]", "{ a = 1 }", "\"\"\"", "//", ".",
    ];

    static readonly string[] Numbers = ["0", "-1", "-0", "1e308", "-1e308", "1e-308", "NaN", "Infinity", "2147483648", "9223372036854775808", "0.5", "1e6", "100000000", "3.5", "1e15"];

    /// <summary>One edit of a text: an index into it (scaled to its length) and what to do there.</summary>
    sealed record Edit(int Kind, double At, string Payload)
    {
        public string Apply(string text)
        {
            var i = Math.Clamp((int)(At * text.Length), 0, text.Length);
            var lines = text.Split('\n').ToList();
            var l = Math.Clamp((int)(At * lines.Count), 0, lines.Count - 1);
            switch (Kind)
            {
                case 0: return i < text.Length ? text.Remove(i, 1) : text;
                case 1: return text.Insert(i, Payload);
                case 2:
                    var numbers = System.Text.RegularExpressions.Regex.Matches(text, @"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?(?![\w.])");
                    if (numbers.Count == 0) return text;
                    var m = numbers[Math.Min(numbers.Count - 1, (int)(At * numbers.Count))];
                    return text[..m.Index] + Payload + text[(m.Index + m.Length)..];
                case 3: lines.Insert(l, lines[l]); return string.Join('\n', lines);
                case 4: lines.RemoveAt(l); return string.Join('\n', lines);
                default: return text[..i];
            }
        }

        public override string ToString() => $"edit {Kind} at {At:0.###} '{Payload.Replace("\n", "\\n")}'";
    }

    static readonly Gen<Edit> AnEdit =
        from kind in Gen.Frequency((3, Gen.Constant(0)), (4, Gen.Constant(1)), (6, Gen.Constant(2)), (1, Gen.Constant(3)), (2, Gen.Constant(4)), (1, Gen.Constant(5)))
        from at in Gen.Choose(0, 10_000).Select(x => x / 10_000.0)
        from payload in kind == 2 ? Gen.Elements(Numbers) : Gen.Elements(Tokens)
        select new Edit(kind, at, payload);

    static readonly Gen<Edit[]> Edits = Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(AnEdit, n));

    /// <summary>Runs <paramref name="action"/> the way the CLI does and returns its exit code and standard error.</summary>
    static (int Code, string Error) Guarded(Func<int> action)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var task = Exit.Guard(() => Task.Run(action));
            if (!task.Wait(CaseLimit)) return (-1, $"no answer within {CaseLimit.TotalSeconds} s");
            return (task.Result, error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    static void AssertClean((int Code, string Error) result, string names, string @case)
    {
        Assert.True(result.Code is 0 or 2, $"{@case}: exit {result.Code}: {result.Error}");
        if (result.Code != 2) return;
        Assert.StartsWith("error: ", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.True(result.Error.Contains(names) || System.Text.RegularExpressions.Regex.IsMatch(result.Error, @"^error: [^ ]+:\d+:"),
            $"{@case}: the message does not name {names} (or a file:line): {result.Error}");
    }

    static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DelaySim.slnx"))) return dir.FullName;
        throw new InvalidOperationException("project root not found");
    }

    /// <summary>Shipped scenarios that need no data files (those load whole datasets per case: too slow to fuzz here).</summary>
    public static TheoryData<string> ShippedScenarios() => new(
        Directory.GetFiles(Path.Combine(Root(), "scenarios"), "*.hocon", SearchOption.AllDirectories).Order()
            .Where(f => !System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(f), @"^\s*(data\.)?(libsvm|idx)\b", System.Text.RegularExpressions.RegexOptions.Multiline))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}delays{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}models{Path.DirectorySeparatorChar}")) // delay models, not scenarios
            .Select(f => Path.GetRelativePath(Root(), f)));

    [Theory]
    [MemberData(nameof(ShippedScenarios))]
    public void A_mutated_shipped_scenario_validates_or_is_a_clean_exit_2(string file)
    {
        var path = Path.Combine(Root(), file);
        var text = File.ReadAllText(path);
        foreach (var (edits, k) in Cases(Edits, 25, (ulong)file.Length * 7919).Select((e, k) => (e, k)))
        {
            var mutated = edits.Aggregate(text, (t, e) => e.Apply(t));
            var result = Guarded(() =>
            {
                var scenario = ScenarioReader.Parse(mutated, "mutated.hocon", Path.GetDirectoryName(path)!);
                MemoryBudget.Require(scenario, CellPlan.Build(scenario), 2);
                return 0;
            });
            AssertClean(result, "mutated.hocon", $"{file} case {k} ({string.Join("; ", edits.Select(e => e.ToString()))})");
        }
    }

    [Fact]
    public async Task A_mutated_small_scenario_runs_or_is_a_clean_exit_2_within_its_budget()
    {
        var folder = Scenarios.TempFolder();
        foreach (var (edits, k) in Cases(Edits, 12, 17).Select((e, k) => (e, k)))
        {
            var file = Path.Combine(folder, $"case{k}.hocon");
            File.WriteAllText(file, edits.Aggregate(Scenarios.Small, (t, e) => e.Apply(t)));
            var run = CliRun.WithErrors("run", file, "--out", Path.Combine(folder, $"out{k}"), "--engine", "direct", "--jobs", "1",
                "--max-memory", "512M", "--set", "optimizer.iterations = 40", "--set", "seeds = 1");
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run;
            Assert.True(finished, $"case {k} ({string.Join("; ", edits.Select(e => e.ToString()))}) ran past 60 s");
            var (code, error) = await run;
            // 3: the run finished and some replicate diverged (a mutated η), which is a valid outcome.
            Assert.True(code is 0 or 2 or 3, $"case {k} ({string.Join("; ", edits.Select(e => e.ToString()))}): exit {code}: {error}");
            if (code == 2) Assert.DoesNotContain("   at ", error);
        }
    }

    static readonly string[] NetEmWords = ["delay", "10ms", "5ms", "1e400ms", "-5ms", "1e9s", "25%", "100%", "200%", "distribution", "pareto", "normal", "paretonormal", "uniform", "loss", "reorder", "rate", "abc", "0", "0.5us"];

    [Fact]
    public void A_generated_delay_spec_builds_or_is_a_clean_exit_2_naming_the_key()
    {
        var netem = Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Elements(NetEmWords), n)).Select(w => $"netem = \"{string.Join(' ', w)}\"");
        var marginal =
            from kind in Gen.Elements(DelayModelReader.Distributions)
            from values in Gen.ArrayOf(Gen.Elements(Numbers), 3)
            select $"distribution = {kind}, mean = {values[0]}, shape = {values[1]}, scale = {values[2]}, value = {values[0]}, low = 0, high = {values[1]}, sd = {values[2]}, mu = {values[0]}, sigma = {values[1]}, p = 0.5, values = [{values[2]}]";
        var layered =
            from m in Gen.Elements("distribution = exponential, mean = 0.01", "distribution = gamma, shape = 2, scale = 0.005")
            from layer in Gen.Elements("correlation.ar = [0.99, 0.5]", "correlation.ar = [0.5]", "stragglers { fraction = 2, factor = 3 }",
                "pauses { period = 1, duration = 2 }", "loss { probability = 1 }", "workers { 9 { distribution = constant, value = 0.1 } }", "factor { correlation = 0.5 }", "")
            select $"{m}, {layer}";
        foreach (var (spec, k) in Cases(Gen.OneOf(netem, marginal, layered), 60, 23).Select((s, k) => (s, k)))
        {
            var text = Scenarios.Small.Edit("delay { kind = fixed, tau = [0, 3, 7] }",
                $"simulation {{ domain = time, time {{ workers = 2, uplink {{ distribution = constant, value = 0.001 }}, downlink {{ distribution = constant, value = 0.001 }}, compute {{ {spec} }} }} }}");
            // Whatever is refused must be refused while reading (naming the key), not later while running.
            var result = Guarded(() =>
            {
                CellPlan.Build(ScenarioReader.Parse(text, "spec.hocon", Directory.GetCurrentDirectory()));
                return 0;
            });
            AssertClean(result, "simulation.time.compute", $"case {k}: {spec}");
        }
    }

    [Fact]
    public void A_mutated_libsvm_file_reads_or_is_a_clean_exit_2_naming_the_file()
    {
        const string valid = "+1 1:0.5 3:-1 7:2\n-1 2:1 3:0.25\n+1 1:1e-3 4:7\n-1 5:0.5 6:1\n+1 1:2 2:3\n";
        var folder = Scenarios.TempFolder();
        foreach (var (edits, k) in Cases(Edits, 80, 29).Select((e, k) => (e, k)))
        {
            var path = Path.Combine(folder, $"case{k}.svm");
            File.WriteAllText(path, edits.Aggregate(valid, (t, e) => e.Apply(t)));
            var result = Guarded(() =>
            {
                LibSvm.ToDatasets([LibSvm.Read(path)], LabelMode.Binary);
                return 0;
            });
            AssertClean(result, path, $"case {k} ({string.Join("; ", edits.Select(e => e.ToString()))})");
        }
    }

    [Fact]
    public void A_mutated_idx_pair_reads_or_is_a_clean_exit_2_naming_the_file()
    {
        static byte[] Header(int magic, params int[] sizes) =>
            new[] { magic }.Concat(sizes).SelectMany(v => BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v))).ToArray();
        var images = Header(0x803, 4, 2, 2).Concat(Enumerable.Range(0, 16).Select(i => (byte)(i * 13))).ToArray();
        var labels = Header(0x801, 4).Concat(new byte[] { 0, 1, 1, 0 }).ToArray();
        var folder = Scenarios.TempFolder();
        var gen =
            from which in Gen.Elements(0, 1)
            from at in Gen.Choose(0, 1000)
            from value in Gen.Choose(0, 255)
            from truncate in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (which, at, (byte)value, truncate);
        foreach (var ((which, at, value, truncate), k) in Cases(gen, 80, 31).Select((c, k) => (c, k)))
        {
            var files = new[] { images.ToArray(), labels.ToArray() };
            var target = files[which];
            var i = at * target.Length / 1001;
            if (truncate) files[which] = target[..i];
            else target[i] = value;
            var (imagesPath, labelsPath) = (Path.Combine(folder, $"i{k}.idx"), Path.Combine(folder, $"l{k}.idx"));
            File.WriteAllBytes(imagesPath, files[0]);
            File.WriteAllBytes(labelsPath, files[1]);
            var result = Guarded(() =>
            {
                Idx.Read(imagesPath, labelsPath);
                return 0;
            });
            AssertClean(result, which == 0 ? imagesPath : labelsPath, $"case {k}: file {which} byte {i} → {(truncate ? "truncated" : value)}");
        }
    }

    static readonly string[] CliWords =
    [
        "validate", "verify", "compare", "report", "delays", "run", "help", "--help", "--out", "--seed", "--engine", "--jobs", "--set",
        "--sample", "--force", "--max-memory", "--samples", "--netem", "actors", "direct", "Direct", "-1", "0", "18446744073709551616",
        "nope.hocon", "/", "", "optimizer.eta=-1", "optimizer.eta", "=", "1K", "--frobnicate", "scenarios/default.hocon",
    ];

    [Fact]
    public async Task A_generated_command_line_never_ends_in_exit_1()
    {
        var folder = Scenarios.TempFolder();
        var gen = Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements(CliWords), n));
        foreach (var (words, k) in Cases(gen, 60, 37).Select((w, k) => (w, k)))
        {
            // `run` with a real scenario would run it: cap it so a case stays fast (the cap itself is under test too).
            var args = words.Contains("run") ? [.. words, "--max-memory", "1K", "--out", Path.Combine(folder, $"o{k}")] : words;
            var run = CliRun.WithErrors(args);
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run;
            Assert.True(finished, $"case {k}: delaysim {string.Join(' ', args)} ran past 60 s");
            var (code, error) = await run;
            Assert.True(code is 0 or 2 or 4, $"case {k}: delaysim {string.Join(' ', args)}: exit {code}: {error}");
            Assert.DoesNotContain("   at ", error);
        }
    }
}

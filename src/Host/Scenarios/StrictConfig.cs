using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using DelaySim.Model;

namespace DelaySim.Host.Scenarios;

/// <summary>
/// Typed, strict reads from a parsed HOCON scenario. Every read marks its key path as known; <see cref="RejectUnknownKeys"/>
/// then fails on any key nobody asked for, with a "did you mean" hint. Every error names the file, the key path and
/// what was expected, and is a <see cref="BadInputException"/> (exit code 2).
/// </summary>
internal sealed class StrictConfig(Config config, string source, string? text = null)
{
    /// <summary>The line <see cref="ScenarioReader.WithOverrides"/> puts before the <c>--set</c> lines it appends.</summary>
    public const string OverridesMarker = "\n# --set overrides\n";

    readonly HashSet<string> _known = [];
    readonly Dictionary<string, int>? _lines = text is null ? null : HoconLines.Map(text.Split(OverridesMarker)[0]);

    /// <summary>Keys set by <c>--set</c>: an error in one of them (or below it) names the option, not a line of the file.</summary>
    readonly string[] _overridden = text is null || !text.Contains(OverridesMarker) ? []
        : text.Split(OverridesMarker)[1].Split('\n').Where(l => l.Contains('=')).Select(l => l[..l.IndexOf('=')].Trim()).ToArray();

    public string Source => source;

    public bool Has(string path) => config.HasPath(path);

    /// <summary>
    /// A word naming a member of <typeparamref name="T"/>, written in kebab case (<c>SumPerTick</c> is <c>sum-per-tick</c>),
    /// as the manifest writes it back; the error lists the members in declaration order.
    /// </summary>
    public T GetEnum<T>(string path, T fallback) where T : struct, Enum => (T)GetEnum(typeof(T), path, fallback);

    /// <summary>A required word naming a member of <typeparamref name="T"/> (see the overload with a fallback).</summary>
    public T GetEnum<T>(string path) where T : struct, Enum => (T)GetEnum(typeof(T), path, null);

    // Over Type, not T: a generic lookup table per enum type compiled about 20 methods each at start-up (docs/PERFORMANCE.md).
    // The values come as the underlying integers and are boxed back as members: Enum.GetValues(Type) makes a T[] at run
    // time, which the native build cannot.
    Enum GetEnum(Type type, string path, Enum? fallback)
    {
        var values = Enum.GetValuesAsUnderlyingType(type);
        var members = new Enum[values.Length];
        for (var i = 0; i < members.Length; i++) members[i] = (Enum)Enum.ToObject(type, values.GetValue(i)!);
        var names = Array.ConvertAll(members, KebabName);
        var name = GetString(path, fallback is null ? null : KebabName(fallback), names);
        return members[Array.IndexOf(names, name)];
    }

    public static string KebabName(Enum value) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>A file's path as written (relative paths start at <paramref name="baseDirectory"/>), after checking it exists.</summary>
    public string GetExistingFile(string path, string baseDirectory)
    {
        var written = GetString(path);
        var full = Path.GetFullPath(written, baseDirectory);
        if (!File.Exists(full))
            throw Error(path, $"file '{written}' not found (looked for {full}; a relative path starts at the scenario's folder){DelaySim.Model.Data.Idx.MissingHint(full)}");
        return written;
    }

    public string GetString(string path, string? fallback = null, IReadOnlyCollection<string>? allowed = null)
    {
        var value = Read(path, fallback, v => v.IsString() ? v.GetString() : null, "a string");
        if (allowed is not null && !allowed.Contains(value))
            throw Error(path, $"'{value}' is not one of: {string.Join(", ", allowed)}");
        return value;
    }

    public long GetLong(string path, long? fallback = null, long min = long.MinValue, long max = long.MaxValue)
    {
        var value = Read(path, fallback, v => v.IsString() && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x : (long?)null, "an integer");
        if (value < min || value > max) throw Error(path, $"{value} is out of range (expected {Range(min, max)})");
        return value;
    }

    /// <summary>An unsigned 64-bit integer (seeds take the whole range 0 … 18446744073709551615).</summary>
    public ulong GetULong(string path, ulong fallback) =>
        Read(path, fallback, v => v.IsString() && ulong.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var x) ? x : (ulong?)null,
            "an integer from 0 to 18446744073709551615");

    public int GetInt(string path, int? fallback = null, int min = int.MinValue, int max = int.MaxValue) =>
        (int)GetLong(path, fallback, min, max);

    public double GetDouble(string path, double? fallback = null, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false) =>
        InRange(path, Read(path, fallback, v => v.IsString() && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) ? x : (double?)null, "a finite number"),
            min, max, minExclusive);

    /// <summary>A time in seconds: a number, or a number with a unit as NetEm writes them (<c>10ms</c>, <c>250us</c>, <c>2s</c>).</summary>
    public double GetSeconds(string path, double? fallback = null, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false) =>
        InRange(path, Read(path, fallback, v => v.IsString() && Seconds(v.GetString()) is { } x && double.IsFinite(x) ? x : (double?)null,
            "a finite number of seconds, or a time with a unit such as 10ms, 250us or 2s"), min, max, minExclusive);

    static double? Seconds(string text)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text.Trim(), @"^([-+0-9.eE]+)\s*(us|ms|s)?$");
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) return null;
        return x * m.Groups[2].Value switch { "us" => 1e-6, "ms" => 1e-3, _ => 1 };
    }

    double InRange(string path, double value, double min, double max, bool minExclusive)
    {
        if (value < min || value > max || (minExclusive && value == min))
            throw Error(path, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range (expected {(minExclusive ? ">" : "≥")} {min.ToString(CultureInfo.InvariantCulture)}{(double.IsPositiveInfinity(max) ? "" : $" and ≤ {max.ToString(CultureInfo.InvariantCulture)}")})");
        return value;
    }

    /// <summary>An integer or a list of integers (a single value reads as a list of one).</summary>
    public int[] GetIntList(string path, int min = int.MinValue, int max = int.MaxValue)
    {
        MarkKnown(path);
        if (!config.HasPath(path)) throw Missing(path, "an integer or a list of integers");
        var value = config.GetValue(path);
        var items = value.IsArray() ? value.GetArray() : [value];
        if (items.Count == 0) throw Error(path, "is empty (expected at least one integer)");
        return items.Select((item, i) =>
        {
            if (!item.IsString() || !int.TryParse(item.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var x))
                throw Error(path, $"element {i} is not an integer");
            if (x < min || x > max) throw Error(path, $"element {i} = {x} is out of range (expected {Range(min, max)})");
            return x;
        }).ToArray();
    }

    /// <summary>A list of words, each one of <paramref name="allowed"/>, with no repeats (<c>[]</c> is an empty list).</summary>
    public string[] GetWordList(string path, IReadOnlyCollection<string> allowed)
    {
        MarkKnown(path);
        if (!config.HasPath(path)) throw Missing(path, $"a list of {string.Join(", ", allowed)}");
        var value = config.GetValue(path);
        // A single word reads as a list of one; Akka's HOCON says an empty [] is neither a string nor an array, but GetArray() reads it.
        var items = value.IsString() ? [value] : value.GetArray();
        var words = items.Select((item, i) => item.IsString() && allowed.Contains(item.GetString())
            ? item.GetString()
            : throw Error(path, $"element {i} must be one of {string.Join(", ", allowed)}")).ToArray();
        if (words.Distinct().Count() != words.Length) throw Error(path, "names a value twice");
        return words;
    }

    /// <summary>A number or a list of numbers (a single value reads as a list of one).</summary>
    public double[] GetDoubleList(string path)
    {
        MarkKnown(path);
        if (!config.HasPath(path)) throw Missing(path, "a number or a list of numbers");
        var value = config.GetValue(path);
        var items = value.IsArray() ? value.GetArray() : [value];
        if (items.Count == 0) throw Error(path, "is empty (expected at least one number)");
        return items.Select((item, i) =>
            item.IsString() && double.TryParse(item.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
                ? x
                : throw Error(path, $"element {i} is not a finite number")).ToArray();
    }

    /// <summary>A list of scalar values (numbers, words, strings) as text; <paramref name="display"/> names the key in errors.</summary>
    public string[] GetScalarList(string path, string display)
    {
        MarkKnown(path);
        var value = config.GetValue(path);
        if (value is null || !value.IsArray()) throw Error(display, "must be a list of values, e.g. [1, 2, 4]");
        var items = value.GetArray();
        if (items.Count == 0) throw Error(display, "is empty");
        return items.Select((item, i) => item.IsString() ? item.GetString() : throw Error(display, $"element {i} is not a single value")).ToArray();
    }

    /// <summary>The HOCON text of the block at <paramref name="path"/> as parsed (keys in file order), e.g. to store a delay model.</summary>
    public string BlockText(string path) => config.GetValue(path).ToString().Trim();

    /// <summary>The blocks of a list of blocks (e.g. <c>timeline = [{ … }, { … }]</c>), each as its own strict reader.</summary>
    public IReadOnlyList<StrictConfig> BlockList(string path)
    {
        MarkKnown(path);
        var value = config.GetValue(path);
        if (!value.IsArray()) throw Error(path, "must be a list of blocks: [{ … }, { … }]");
        return value.GetArray().Select((item, i) =>
            item.IsObject()
                ? new StrictConfig(new Config(new Akka.Configuration.Hocon.HoconRoot(item)), $"{source}: {path}[{i}]")
                : throw Error(path, $"element {i} is not a block {{ … }}")).ToArray();
    }

    /// <summary>
    /// The value at <paramref name="path"/> as HOCON text that reads back to the same value: blocks in braces with
    /// quoted keys, lists in brackets, every scalar quoted (a path or NetEm spec may hold ':', '#' or '//').
    /// </summary>
    public string ValueText(string path)
    {
        MarkKnown(path);
        return Render(config.GetValue(path));

        static string Render(HoconValue value) =>
            value.IsObject() ? "{ " + string.Join(", ", value.GetObject().Items.Select(i => $"{Quote(i.Key)} = {Render(i.Value)}")) + " }"
            : value.IsArray() ? "[" + string.Join(", ", value.GetArray().Select(Render)) + "]"
            : Quote(value.GetString());

        static string Quote(string s) => Output.JsonText.Quote(s);
    }

    public bool IsBlock(string path) => config.HasPath(path) && config.GetValue(path).IsObject();

    /// <summary>A list whose every element is a block.</summary>
    public bool IsBlockList(string path) => config.HasPath(path) && config.GetValue(path).IsArray() && config.GetValue(path).GetArray().All(v => v.IsObject());

    /// <summary>The scenario text as read (null where line numbers are not kept).</summary>
    public string? Text => text;

    /// <summary>The keys directly under the block at <paramref name="path"/>, in file order.</summary>
    public IReadOnlyList<string> ChildKeys(string path)
    {
        var value = path.Length == 0 ? config.Root : config.HasPath(path) ? config.GetValue(path) : null;
        if (value is null || !value.IsObject()) throw Error(path, "must be a block { ... }");
        return value.GetObject().Items.Keys.ToArray();
    }

    /// <summary>Marks a block as known without reading it (for blocks whose keys are read individually).</summary>
    public void MarkKnown(string path) => _known.Add(path);

    /// <summary>Fails on the first key in the file that no read asked for.</summary>
    public void RejectUnknownKeys()
    {
        var leaves = new List<string>();
        Collect(config.Root, "", leaves);
        foreach (var key in leaves)
        {
            if (IsKnown(key)) continue;
            var hint = Suggest(key);
            throw Error(key, $"unknown key{(hint is null ? "" : $" (did you mean '{hint}'?)")}");
        }
    }

    bool IsKnown(string key)
    {
        for (var k = key; ; k = k[..k.LastIndexOf('.')])
        {
            if (_known.Contains(k)) return true;
            if (!k.Contains('.')) return false;
        }
    }

    string? Suggest(string key) =>
        _known.Select(k => (k, d: Levenshtein(k, key))).Where(p => p.d <= Math.Max(2, key.Length / 4)).OrderBy(p => p.d).ThenBy(p => p.k, StringComparer.Ordinal).Select(p => p.k).FirstOrDefault();

    T Read<T>(string path, T? fallback, Func<HoconValue, T?> parse, string expected) where T : struct
    {
        MarkKnown(path);
        if (!config.HasPath(path))
            return fallback ?? throw Missing(path, expected);
        var value = config.GetValue(path);
        return parse(value) ?? throw Error(path, $"'{Describe(value)}' is not {expected}");
    }

    /// <summary>A required key is absent: if the file has a near-miss of it, the typo is the better message.</summary>
    BadInputException Missing(string path, string expected)
    {
        var leaves = new List<string>();
        Collect(config.Root, "", leaves);
        var typo = leaves.Where(k => !IsKnown(k)).FirstOrDefault(k => Levenshtein(k, path) <= Math.Max(2, path.Length / 4));
        return typo is null
            ? Error(path, $"is required ({expected})")
            : Error(typo, $"unknown key (did you mean '{path}'?)");
    }

    string Read(string path, string? fallback, Func<HoconValue, string?> parse, string expected)
    {
        MarkKnown(path);
        if (!config.HasPath(path))
            return fallback ?? throw Missing(path, expected);
        var value = config.GetValue(path);
        return parse(value) ?? throw Error(path, $"'{Describe(value)}' is not {expected}");
    }

    static string Describe(HoconValue value) => value.IsObject() ? "{ ... }" : value.IsArray() ? "[ ... ]" : value.GetString();

    /// <summary>An error naming the file, the line where the key is written (when known) and the key path.</summary>
    public BadInputException Error(string path, string what) =>
        _overridden.LastOrDefault(k => path == k || path.StartsWith(k + ".", StringComparison.Ordinal)) is { } set
            ? new($"{source}, --set {set}: {path}: {what}")
            : new($"{source}{(_lines is not null && _lines.TryGetValue(path, out var line) ? $":{line}" : "")}: {path}: {what}");

    static void Collect(HoconValue value, string prefix, List<string> leaves)
    {
        if (!value.IsObject())
        {
            leaves.Add(prefix);
            return;
        }
        var items = value.GetObject().Items;
        if (items.Count == 0 && prefix.Length > 0) leaves.Add(prefix);
        foreach (var (k, v) in items) Collect(v, prefix.Length == 0 ? k : $"{prefix}.{k}", leaves);
    }

    static string Range(long min, long max) =>
        max == long.MaxValue || max == int.MaxValue ? $"≥ {min}" : $"{min}..{max}";

    static int Levenshtein(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) d[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = d[0];
            d[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return d[b.Length];
    }
}

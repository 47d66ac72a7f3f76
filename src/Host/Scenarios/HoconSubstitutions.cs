using System.Text.RegularExpressions;
using DelaySim.Model;

namespace DelaySim.Host.Scenarios;

/// <summary>
/// Finds substitution cycles (<c>a = ${b}</c>, <c>b = ${a}</c>; <c>x = ${x}</c>) before Akka's resolver sees them: it
/// recurses on a cycle until the process dies of a stack overflow, which no handler can catch. A light scan of the
/// text's assignments, in the spirit of <see cref="HoconLines"/>: each key path assigned a plain value (not a block)
/// and the paths its value substitutes. A path depends on every assignment at, inside or above a path it names.
/// </summary>
internal static partial class HoconSubstitutions
{
    sealed record Assignment(string Path, int Line, IReadOnlyList<string> References);

    [GeneratedRegex(@"\$\{\??\s*([^}\s]+)\s*\}")]
    private static partial Regex Substitution();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex QuotedString();

    [GeneratedRegex("(#|//)[^\\n]*")]
    private static partial Regex Comment();

    public static void CheckAcyclic(string text, string source)
    {
        var assignments = Scan(text);
        if (assignments.All(a => a.References.Count == 0)) return;
        var byPath = assignments.GroupBy(a => a.Path).ToDictionary(g => g.Key, g => g.ToArray());
        var state = new Dictionary<string, int>(); // 1: on the current path, 2: done
        var trail = new List<string>();
        foreach (var start in byPath.Keys)
            Visit(start);

        void Visit(string path)
        {
            if (state.GetValueOrDefault(path) == 2) return;
            if (state.GetValueOrDefault(path) == 1)
            {
                var cycle = trail.Skip(trail.IndexOf(path)).Append(path);
                var line = byPath[path][0].Line;
                throw new BadInputException($"{source}:{line}: {path}: substitution cycle {string.Join(" → ", cycle)} (a value cannot depend on itself)");
            }
            state[path] = 1;
            trail.Add(path);
            foreach (var reference in byPath[path].SelectMany(a => a.References))
                foreach (var target in byPath.Keys.Where(p => Related(p, reference)))
                    Visit(target);
            trail.RemoveAt(trail.Count - 1);
            state[path] = 2;
        }
    }

    /// <summary>Resolving <paramref name="reference"/> needs the assignment at <paramref name="path"/>: the same path, one inside it or one above it.</summary>
    static bool Related(string path, string reference) =>
        path == reference || path.StartsWith(reference + ".", StringComparison.Ordinal) || reference.StartsWith(path + ".", StringComparison.Ordinal);

    static List<Assignment> Scan(string text)
    {
        var result = new List<Assignment>();
        var blocks = new Stack<string>();
        var line = 1;
        string? key = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') { line++; continue; }
            if (char.IsWhiteSpace(c) || c == ',') continue;
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                continue;
            }
            if (c == '}')
            {
                if (blocks.Count > 0) blocks.Pop();
                key = null;
                continue;
            }
            if (c == '{')
            {
                blocks.Push(key ?? "");
                key = null;
                continue;
            }
            if (c is '=' or ':' || (c == '+' && i + 1 < text.Length && text[i + 1] == '='))
            {
                if (c == '+') i++;
                var start = i + 1;
                while (start < text.Length && text[start] is ' ' or '\t') start++;
                if (start < text.Length && text[start] == '{') { i = start - 1; continue; } // a block: its keys come next
                var end = ValueEnd(text, start);
                var value = text[start..end];
                // HOCON substitutes only outside quoted strings and comments.
                var code = Comment().Replace(QuotedString().Replace(value, "\"\""), "");
                var references = Substitution().Matches(code).Select(m => m.Groups[1].Value.Trim('"')).ToArray();
                if (key is not null) result.Add(new Assignment(Full(blocks, key), line, references));
                line += value.Count(ch => ch == '\n');
                key = null;
                i = end - 1;
                continue;
            }
            // A key: quoted or bare, up to '=', ':', '{' or white space.
            if (c == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0) return result;
                key = text[(i + 1)..close];
                i = close;
            }
            else
            {
                var start = i;
                while (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && text[i + 1] is not ('=' or ':' or '{' or ',' or '}' or '#' or '+')) i++;
                key = text[start..(i + 1)];
                if (key == "include")
                {
                    // The file name (quoted, or required("…")), not a value; a '}' after it on the line still closes its block.
                    while (i + 1 < text.Length && text[i + 1] is ' ' or '\t') i++;
                    if (i + 1 < text.Length && text[i + 1] == '"') i = Math.Max(i + 1, text.IndexOf('"', i + 2));
                    else if (text.IndexOf(')', i + 1) is var close and >= 0 && text.AsSpan(i + 1, close - i).IndexOf('\n') < 0) i = close;
                    key = null;
                }
            }
        }
        return result;
    }

    static string Full(Stack<string> blocks, string key)
    {
        var prefix = string.Join('.', blocks.Reverse().Where(b => b.Length > 0));
        return prefix.Length == 0 ? key : $"{prefix}.{key}";
    }

    /// <summary>The end of a plain value: a new line, ',', '}' or a comment outside brackets and strings (comments inside brackets are skipped).</summary>
    static int ValueEnd(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            var comment = c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/');
            if (c == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0) return text.Length;
                i = close;
            }
            else if (comment && depth == 0) return i;
            else if (comment)
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
            else if (c is '[' or '{') depth++;
            else if (c is ']' || (c == '}' && depth > 0)) depth--;
            else if (depth == 0 && (c is '\n' or ',' or '}')) return i;
        }
        return text.Length;
    }
}

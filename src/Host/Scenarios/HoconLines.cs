namespace DelaySim.Host.Scenarios;

/// <summary>
/// Where each key path is written in a HOCON text (its first occurrence), so an error can say <c>file:line</c>. A light
/// scan of keys, braces and brackets, enough for the scenarios we read; keys inside lists and in included files have no
/// line, and the error then names the key path alone.
/// </summary>
internal static class HoconLines
{
    public static Dictionary<string, int> Map(string text)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var blocks = new Stack<string>();
        var listDepth = 0;
        var line = 1;
        string? pendingKey = null;
        var expectKey = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') { line++; expectKey = listDepth == 0; continue; }
            if (char.IsWhiteSpace(c)) continue;
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                continue;
            }
            if (c == '[') { listDepth++; expectKey = false; continue; }
            if (c == ']') { listDepth = Math.Max(0, listDepth - 1); continue; }
            if (listDepth > 0)
            {
                if (c == '"') i = SkipString(text, i);
                continue;
            }
            if (c == ',') { expectKey = true; continue; }
            if (c == '{')
            {
                blocks.Push(pendingKey ?? "");
                pendingKey = null;
                expectKey = true;
                continue;
            }
            if (c == '}')
            {
                if (blocks.Count > 0) blocks.Pop();
                expectKey = true;
                continue;
            }
            if (c is '=' or ':') { pendingKey = null; expectKey = false; continue; }
            if (!expectKey)
            {
                if (c == '"') i = SkipString(text, i);
                continue;
            }
            // A key: a bare path or a quoted one, up to '=', ':', '{' or white space.
            string key;
            if (c == '"')
            {
                var end = SkipString(text, i);
                key = text[(i + 1)..end];
                i = end;
            }
            else
            {
                var start = i;
                while (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && text[i + 1] is not ('=' or ':' or '{' or ',' or '}' or '#')) i++;
                key = text[start..(i + 1)];
            }
            if (key == "include") { expectKey = false; continue; }
            var prefix = string.Join('.', blocks.Reverse().Where(b => b.Length > 0));
            var full = prefix.Length == 0 ? key : $"{prefix}.{key}";
            // Every prefix of a dotted key is written on this line too (a.b.c = 1 writes a and a.b).
            var parts = full.Split('.');
            for (var p = 1; p <= parts.Length; p++) map.TryAdd(string.Join('.', parts[..p]), line);
            pendingKey = key;
            expectKey = false;
        }
        return map;
    }

    static int SkipString(string text, int start)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"' || text[i] == '\n') return i;
        }
        return text.Length - 1;
    }
}

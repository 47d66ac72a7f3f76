using Akka.Configuration;
using Akka.Configuration.Hocon;
using DelaySim.Model;

namespace DelaySim.Host.Scenarios;

/// <summary>
/// Akka's HOCON parser accepts unbalanced braces and brackets without a word (a missing '}' silently swallows the rest
/// of the file into one block). This check runs first and names the line of the first unbalanced one.
/// </summary>
internal static class HoconSyntax
{
    /// <summary>
    /// Checks the brackets, then parses; a parser failure becomes a <see cref="BadInputException"/> naming the file.
    /// <c>include "file"</c> is resolved relative to the including file (<paramref name="baseDirectory"/> for the top one).
    /// </summary>
    public static Config Parse(string text, string source, string? baseDirectory = null)
    {
        var normalized = CheckBalanced(text, source);
        HoconSubstitutions.CheckAcyclic(normalized, source);
        try
        {
            return ConfigurationFactory.ParseString(normalized, Includes(baseDirectory ?? Directory.GetCurrentDirectory(), source, 0));
        }
        catch (BadInputException)
        {
            throw;
        }
        catch (Exception e)
        {
            var message = e.Message.Split('\n')[0].Trim();
            var at = System.Text.RegularExpressions.Regex.Match(message, @"at position (\d+)");
            var line = at.Success && int.TryParse(at.Groups[1].Value, out var position) && position <= normalized.Length
                ? $":{normalized[..position].Count(ch => ch == '\n') + 1}"
                : "";
            throw new BadInputException($"{source}{line}: not valid HOCON: {message}", e);
        }
    }

    const int MaxIncludeDepth = 16;

    /// <summary>
    /// Blocks and lists nested deeper than this are refused: no scenario needs more than a handful, and Akka's parser
    /// recurses once per level (10,000 levels took minutes, 100,000 overflowed the stack).
    /// </summary>
    public const int MaxNesting = 64;

    static Func<string, HoconRoot> Includes(string directory, string from, int depth) => name =>
    {
        var path = Path.GetFullPath(name.Trim('"'), directory);
        if (depth >= MaxIncludeDepth) throw new BadInputException($"{from}: include \"{name}\": more than {MaxIncludeDepth} nested includes (a cycle?)");
        if (!File.Exists(path)) throw new BadInputException($"{from}: include \"{name}\": file not found ({path})");
        var text = CheckBalanced(File.ReadAllText(path), path);
        HoconSubstitutions.CheckAcyclic(text, path);
        return Parser.Parse(text, Includes(Path.GetDirectoryName(path)!, path, depth + 1));
    };

    /// <summary>
    /// Checks brackets and returns the text with every comma that directly follows a '}' or ']' turned into a new line:
    /// both separate fields in HOCON, but Akka's parser rejects "a { x = 1 }, b = 2".
    /// </summary>
    public static string CheckBalanced(string text, string source)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        var chars = text.ToCharArray();
        var afterClose = false;
        BadInputException? separatorInList = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (afterClose && c == ',')
            {
                chars[i] = '\n';
                afterClose = false;
                continue;
            }
            if (c is not (' ' or '\t')) afterClose = false;
            if (c == '\n') line++;
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
            else if (c == '"')
            {
                var start = i;
                i = SkipString(text, i, source, line);
                line += text.AsSpan(start, i - start).Count('\n'); // a triple-quoted string spans lines
            }
            else if (c == '?' && i >= 2 && text[i - 1] == '{' && text[i - 2] == '$')
                // Akka's resolver never finishes on an optional substitution, defined or not (tested: a = ${?b} hangs).
                throw new BadInputException($"{source}:{line}: optional substitutions ${{?…}} are not supported; write ${{path}} to a key that is set");
            else if (c is '\\' or '`' or '^' or '!' or '@' or '*' or '&' or '?' || (c == '$' && !(i + 1 < text.Length && text[i + 1] == '{')))
                // Never valid outside a quoted string; inside a list, Akka's parser loops forever on them.
                throw new BadInputException($"{source}:{line}: '{c}' outside a quoted string (write the value in \"…\")");
            else if (c is ':' or '=' && open.Count > 0 && open.Peek().Bracket == '[')
                // A list holds values, not key = value (Akka's parser loops forever on "[1, :2]" or "[\"x\": 2]");
                // reported after the brackets are checked, since an unclosed '[' is the likelier mistake.
                separatorInList ??= new BadInputException($"{source}:{line}: '{c}' inside the list opened on line {open.Peek().Line} (elements are values; a keyed element needs its own block: [{{ key = value }}])");
            else if (c is '{' or '[')
            {
                open.Push((c, line));
                if (open.Count > MaxNesting)
                    throw new BadInputException($"{source}:{line}: blocks and lists nested more than {MaxNesting} deep (expected a scenario of a few levels)");
            }
            else if (c is '}' or ']')
            {
                var expected = c == '}' ? '{' : '[';
                if (open.Count == 0 || open.Peek().Bracket != expected)
                    throw new BadInputException($"{source}:{line}: unexpected '{c}'{(open.Count > 0 ? $" (the '{open.Peek().Bracket}' of line {open.Peek().Line} is still open)" : "")}");
                open.Pop();
                afterClose = true;
            }
        }
        if (open.Count > 0)
            throw new BadInputException($"{source}:{open.Peek().Line}: '{open.Peek().Bracket}' is never closed");
        if (separatorInList is not null) throw separatorInList;
        return new string(chars);
    }

    static int SkipString(string text, int start, string source, int line)
    {
        if (string.CompareOrdinal(text, start, "\"\"\"", 0, 3) == 0)
        {
            var end = text.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
            return end < 0 ? throw new BadInputException($"{source}:{line}: triple-quoted string is never closed") : end + 2;
        }
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"') return i;
            else if (text[i] == '\n') break;
        }
        throw new BadInputException($"{source}:{line}: string is never closed");
    }
}

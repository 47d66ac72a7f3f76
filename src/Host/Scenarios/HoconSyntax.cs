using Akka.Configuration;
using DelaySim.Model;

namespace DelaySim.Host.Scenarios;

/// <summary>
/// Akka's HOCON parser accepts unbalanced braces and brackets without a word (a missing '}' silently swallows the rest
/// of the file into one block). This check runs first and names the line of the first unbalanced one.
/// </summary>
public static class HoconSyntax
{
    /// <summary>Checks the brackets, then parses; a parser failure becomes a <see cref="BadInputException"/> naming the file.</summary>
    public static Config Parse(string text, string source)
    {
        CheckBalanced(text, source);
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            throw new BadInputException($"{source}: not valid HOCON: {e.Message.Split('\n')[0].Trim()}", e);
        }
    }

    public static void CheckBalanced(string text, string source)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') line++;
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
            else if (c == '"')
                i = SkipString(text, i, source, line);
            else if (c is '{' or '[')
                open.Push((c, line));
            else if (c is '}' or ']')
            {
                var expected = c == '}' ? '{' : '[';
                if (open.Count == 0 || open.Peek().Bracket != expected)
                    throw new BadInputException($"{source}:{line}: unexpected '{c}'{(open.Count > 0 ? $" (the '{open.Peek().Bracket}' of line {open.Peek().Line} is still open)" : "")}");
                open.Pop();
            }
        }
        if (open.Count > 0)
            throw new BadInputException($"{source}:{open.Peek().Line}: '{open.Peek().Bracket}' is never closed");
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

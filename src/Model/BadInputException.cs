namespace DelaySim.Model;

/// <summary>
/// Input the user can fix (a scenario key, a data line, a missing file). The message names the file, the line or key,
/// and what was expected; the command line turns it into exit code 2 without a stack trace.
/// </summary>
public class BadInputException(string message, Exception? inner = null) : Exception(message, inner);

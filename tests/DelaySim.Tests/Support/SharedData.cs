namespace DelaySim.Tests.Support;

/// <summary>
/// The shared datasets (../shared/data beside the project root, or $DELAYSIM_SHARED_DATA). Tests that need them use
/// <see cref="DataFactAttribute"/> and are skipped, with the reason, on a machine without them.
/// </summary>
public static class SharedData
{
    public static readonly string? Folder = Find();

    /// <summary>The files the shared folder promises (its SHA256SUMS), as full paths; empty without the folder.</summary>
    public static IReadOnlySet<string> Listed() => Folder is null
        ? new HashSet<string>()
        : File.ReadAllLines(System.IO.Path.Combine(Folder, "SHA256SUMS"))
            .Select(line => line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2)
            .Select(parts => System.IO.Path.GetFullPath(System.IO.Path.Combine(Folder, parts[1].TrimStart('*', ' '))))
            .ToHashSet();

    public static string PathOf(string file) => System.IO.Path.Combine(Folder ?? throw new InvalidOperationException("no shared data"), file);

    static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DELAYSIM_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment)) return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (File.Exists(System.IO.Path.Combine(candidate, "SHA256SUMS"))) return candidate;
        }
        return null;
    }
}

/// <summary>A fact that needs the shared datasets; skipped with a stated reason when they are absent.</summary>
public sealed class DataFactAttribute : FactAttribute
{
    public DataFactAttribute()
    {
        if (SharedData.Folder is null)
            Skip = "needs ../shared/data beside the project root (or DELAYSIM_SHARED_DATA); not present on this machine";
    }
}

/// <summary>A theory that needs the shared datasets; skipped with a stated reason when they are absent.</summary>
public sealed class DataTheoryAttribute : TheoryAttribute
{
    public DataTheoryAttribute()
    {
        if (SharedData.Folder is null)
            Skip = "needs ../shared/data beside the project root (or DELAYSIM_SHARED_DATA); not present on this machine";
    }
}

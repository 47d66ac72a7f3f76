using System.Text;

namespace DelaySim.Host.Output;

/// <summary>
/// Every file of a run folder is written to a temporary name and renamed into place, so a killed run never leaves a
/// half-written file under a final name.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}

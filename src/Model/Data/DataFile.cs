using System.IO.Compression;

namespace DelaySim.Model.Data;

/// <summary>Data and trace files are read plain or gzipped, by their extension.</summary>
public static class DataFile
{
    /// <summary>The file's bytes, decompressed when its name ends in <c>.gz</c>; the caller disposes the stream.</summary>
    public static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Every line of the file, plain or gzipped.</summary>
    public static List<string> Lines(string path)
    {
        using var reader = new StreamReader(Open(path));
        var lines = new List<string>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine()) lines.Add(line);
        return lines;
    }
}

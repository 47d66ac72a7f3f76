using System.Buffers.Binary;

namespace DelaySim.Model.Data;

/// <summary>
/// Reader for the idx format of MNIST and Fashion-MNIST (plain or .gz): images (magic 0x00000803, big-endian counts,
/// one byte per pixel, scaled to [0, 1]) and labels (magic 0x00000801). Errors name the file and what is wrong.
/// </summary>
public static class Idx
{
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>A dataset from an images file and a labels file, optionally keeping only some classes (relabelled 0..k−1 in that order).</summary>
    /// <param name="strict">Refuse labels outside <paramref name="keep"/> instead of dropping those images.</param>
    public static Dataset Read(string imagesPath, string labelsPath, IReadOnlyList<int>? keep = null, bool strict = false)
    {
        var (count, pixels, images) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new BadInputException($"{labelsPath}: {labels.Length} labels for the {count} images of {imagesPath}");
        var classes = keep?.ToArray() ?? labels.Distinct().Order().Select(b => (int)b).ToArray();
        if (classes.Distinct().Count() != classes.Length)
            throw new BadInputException($"{labelsPath}: the class list {string.Join(", ", classes)} repeats a class");
        if (strict && labels.Select(l => (int)l).FirstOrDefault(l => !classes.Contains(l), -1) is var stray and >= 0)
            throw new BadInputException($"{labelsPath}: label {stray} is not among the training classes {string.Join(", ", classes)}");
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var rows = Enumerable.Range(0, count).Where(i => index.ContainsKey(labels[i])).ToArray();
        if (rows.Length == 0) throw new BadInputException($"{labelsPath}: no image has one of the classes {string.Join(", ", classes)}");
        var x = new double[rows.Length * pixels];
        var y = new double[rows.Length];
        for (var k = 0; k < rows.Length; k++)
        {
            for (var p = 0; p < pixels; p++) x[k * pixels + p] = images[rows[k] * pixels + p] / 255.0;
            y[k] = index[labels[rows[k]]];
        }
        return new Dataset(x, y, pixels, classes.Length);
    }

    public static (int Count, int Pixels, byte[] Data) ReadImages(string path)
    {
        var bytes = ReadAll(path);
        if (bytes.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(bytes) != 0x803)
            throw new BadInputException($"{path}: not an idx image file (expected magic 0x00000803)");
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        var pixels = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8)) * BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        if (count < 0 || pixels <= 0 || bytes.Length != 16 + (long)count * pixels)
            throw new BadInputException($"{path}: header says {count} images of {pixels} pixels, but the file has {bytes.Length - 16} bytes of pixels");
        return (count, pixels, bytes[16..]);
    }

    public static byte[] ReadLabels(string path)
    {
        var bytes = ReadAll(path);
        if (bytes.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(bytes) != 0x801)
            throw new BadInputException($"{path}: not an idx label file (expected magic 0x00000801)");
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (count < 0 || bytes.Length != 8 + count)
            throw new BadInputException($"{path}: header says {count} labels, but the file has {bytes.Length - 8}");
        return bytes[8..];
    }

    /// <summary>Where a missing file of a known dataset comes from, or "".</summary>
    public static string MissingHint(string path) => path.StartsWith(FashionMnistFolder, StringComparison.Ordinal)
        ? " (Fashion-MNIST comes from the Debian package: apt-get install dataset-fashion-mnist)"
        : "";

    static byte[] ReadAll(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found{MissingHint(path)}");
        using var input = DataFile.Open(path);
        using var memory = new MemoryStream();
        try
        {
            input.CopyTo(memory);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"{path}: not a valid gzip file ({e.Message})", e);
        }
        return memory.ToArray();
    }
}

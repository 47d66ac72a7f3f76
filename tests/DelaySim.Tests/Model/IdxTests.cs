using System.Buffers.Binary;
using System.IO.Compression;
using DelaySim.Model;
using DelaySim.Model.Data;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

public class IdxTests
{
    static (string Images, string Labels) Write(byte[] labels, int rows = 2, int cols = 2, int magic = 0x803)
    {
        var folder = Scenarios.TempFolder();
        var images = new byte[16 + labels.Length * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(images, magic);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), labels.Length);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), cols);
        for (var i = 16; i < images.Length; i++) images[i] = (byte)(i * 7);
        var labelBytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(labelBytes, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labelBytes.AsSpan(4), labels.Length);
        labels.CopyTo(labelBytes, 8);
        var imagesPath = Path.Combine(folder, "images.idx.gz");
        using (var gz = new GZipStream(File.Create(imagesPath), CompressionLevel.Fastest)) gz.Write(images);
        var labelsPath = Path.Combine(folder, "labels.idx");
        File.WriteAllBytes(labelsPath, labelBytes);
        return (imagesPath, labelsPath);
    }

    [Fact]
    public void Images_are_scaled_and_a_class_subset_is_relabelled_in_order()
    {
        var (images, labels) = Write([3, 9, 4, 9]);
        var data = Idx.Read(images, labels, keep: [9, 4]);
        Assert.Equal(3, data.Count);
        Assert.Equal([0.0, 1, 0], Enumerable.Range(0, 3).Select(data.Label));
        Assert.Equal(((16 + 4) * 7 % 256) / 255.0, data.Row(0)[0], 12);
        Assert.Equal(2, data.ClassCount);
    }

    [Fact]
    public void A_wrong_magic_or_a_missing_Fashion_MNIST_file_is_explained()
    {
        var (images, labels) = Write([1, 2], magic: 0x801);
        Assert.Contains("not an idx image file", Assert.Throws<BadInputException>(() => Idx.Read(images, labels)).Message);
        var missing = Assert.Throws<BadInputException>(() => Idx.Read(Idx.FashionMnistFolder + "/nope-images.gz", labels));
        Assert.Contains("apt-get install dataset-fashion-mnist", missing.Message);
    }

    [DataFact]
    public void The_shared_MNIST_test_half_reads_with_the_documented_counts()
    {
        var fours_and_nines = Idx.Read(SharedData.PathOf("mnist-t10k-images-idx3-ubyte.gz"), SharedData.PathOf("mnist-t10k-labels-idx1-ubyte.gz"), [4, 9]);
        Assert.Equal(982 + 1_009, fours_and_nines.Count);
        Assert.Equal(784, fours_and_nines.FeatureCount);
    }
}

using System.IO.Compression;
using System.Text;
using DelaySim.Model;
using DelaySim.Model.Data;
using DelaySim.Tests.Support;

namespace DelaySim.Tests.Model;

public class LibSvmTests
{
    static LibSvmFile Parse(string text) => LibSvm.Parse(new StringReader(text), "test.svm");

    [Theory]
    [InlineData("-1 1:0.5\n+1 2:1\n", -1, 1)]
    [InlineData("-1.0 1:0.5\n1.0 2:1\n", -1, 1)]
    [InlineData("0 1:0.5\n1 2:1\n", -1, 1)]
    [InlineData("1 1:0.5\n2 2:1\n", -1, 1)]
    public void Binary_labels_of_every_spelling_map_to_minus_and_plus_one(string text, double first, double second)
    {
        var data = LibSvm.ToDatasets([Parse(text)], LabelMode.Binary)[0];
        Assert.Equal([first, second], [data.Label(0), data.Label(1)]);
        Assert.Equal(2, data.ClassCount);
    }

    [Fact]
    public void Exponent_notation_explicit_zeros_and_label_only_lines_parse()
    {
        var file = Parse("1 1:9.86E-02 3:-1.5e+1\n-1\n1 2:0 3:0\n");
        var data = LibSvm.ToDatasets([file], LabelMode.Binary)[0];
        Assert.Equal(3, data.FeatureCount);
        Assert.Equal([0.0986, 0, -15], data.Row(0).ToArray());
        Assert.Equal([0.0, 0, 0], data.Row(1).ToArray());
        Assert.Equal(-1, data.Label(1));
    }

    [Fact]
    public void Train_and_test_share_label_mapping_and_feature_count()
    {
        var train = Parse("2 1:1\n1 2:1\n");
        var test = Parse("1 4:1\n");
        var sets = LibSvm.ToDatasets([train, test], LabelMode.Binary);
        Assert.Equal(4, sets[0].FeatureCount);
        Assert.Equal(4, sets[1].FeatureCount);
        Assert.Equal(-1, sets[1].Label(0));
    }

    [Fact]
    public void Multiclass_labels_become_class_indices_and_regression_targets_stay()
    {
        var file = Parse("3 1:1\n7 1:1\n5 1:1\n");
        var multi = LibSvm.ToDatasets([file], LabelMode.Multiclass)[0];
        Assert.Equal([0.0, 2, 1], Enumerable.Range(0, 3).Select(multi.Label));
        Assert.Equal(3, multi.ClassCount);
        var regression = LibSvm.ToDatasets([file], LabelMode.Regression)[0];
        Assert.Equal([3.0, 7, 5], Enumerable.Range(0, 3).Select(regression.Label));
    }

    [Theory]
    [InlineData("1 1:1\nabc 1:2\n", "test.svm:2", "label 'abc'")]
    [InlineData("1 1:1\n1 1-2\n", "test.svm:2", "index:value")]
    [InlineData("1 0:1\n", "test.svm:1", "positive integer")]
    [InlineData("1 3:1 2:1\n", "test.svm:1", "does not increase")]
    [InlineData("1 1:1 1:2\n", "test.svm:1", "does not increase")]
    [InlineData("1 1:x\n", "test.svm:1", "not a finite number")]
    [InlineData("1 1:NaN\n", "test.svm:1", "not a finite number")]
    [InlineData("1:1 2:1\n", "test.svm:1", "label '1:1'")]
    public void Malformed_lines_name_file_and_line(string text, string where, string what)
    {
        var e = Assert.Throws<BadInputException>(() => Parse(text));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void Three_distinct_labels_are_not_binary()
    {
        var e = Assert.Throws<BadInputException>(() => LibSvm.ToDatasets([Parse("1 1:1\n2 1:1\n3 1:1\n")], LabelMode.Binary));
        Assert.Contains("exactly two distinct values", e.Message);
    }

    [Fact]
    public void Gzip_files_are_read_and_missing_files_named()
    {
        var path = Path.Combine(Scenarios.TempFolder(), "tiny.svm.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes("+1 1:1 2:2\n-1 2:3\n"));
        var file = LibSvm.Read(path);
        Assert.Equal(2, file.Labels.Length);
        Assert.Equal(2, file.MaxIndex);
        var missing = Assert.Throws<BadInputException>(() => LibSvm.Read(path + ".nope"));
        Assert.Contains("tiny.svm.gz.nope", missing.Message);
    }

    [DataFact]
    public void The_shared_ijcnn1_splits_have_the_documented_shape()
    {
        var train = LibSvm.Read(SharedData.PathOf("ijcnn1.tr.gz"));
        var test = LibSvm.Read(SharedData.PathOf("ijcnn1.t.gz"));
        var sets = LibSvm.ToDatasets([train, test], LabelMode.Binary);
        Assert.Equal(35_000, sets[0].Count);
        Assert.Equal(91_701, sets[1].Count);
        Assert.Equal(22, sets[0].FeatureCount);
        Assert.Equal(3_415, Enumerable.Range(0, sets[0].Count).Count(i => sets[0].Label(i) > 0));
        Assert.Equal(8_712, Enumerable.Range(0, sets[1].Count).Count(i => sets[1].Label(i) > 0));
    }

    [DataFact]
    public void The_shared_small_sets_parse_with_their_label_quirks()
    {
        var heart = LibSvm.ToDatasets([LibSvm.Read(SharedData.PathOf("heart_scale"))], LabelMode.Binary)[0];
        Assert.Equal((270, 13), (heart.Count, heart.FeatureCount));
        var cancer = LibSvm.ToDatasets([LibSvm.Read(SharedData.PathOf("sklearn_breast_cancer.libsvm"))], LabelMode.Binary)[0];
        Assert.Equal(357, Enumerable.Range(0, cancer.Count).Count(i => cancer.Label(i) > 0));
        var digits = LibSvm.ToDatasets([LibSvm.Read(SharedData.PathOf("sklearn_digits.libsvm"))], LabelMode.Multiclass)[0];
        Assert.Equal((1_797, 10), (digits.Count, digits.ClassCount));
        var w8a = LibSvm.ToDatasets([LibSvm.Read(SharedData.PathOf("w8a.t.gz"))], LabelMode.Binary, featureCount: 300)[0];
        Assert.Equal(14_951, w8a.Count);
    }
}

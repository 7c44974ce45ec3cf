using System.Text.Json;
using AiGateway.Core.Tokens;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Tokens;

/// <summary>
/// The calibrated estimators checked against the reference counts of tools/token-calibration on the held-out third
/// of the corpus (never used for fitting), with the error bounds docs/tokens-and-costs.md states.
/// </summary>
public sealed class TokenEstimatorTests
{
    private static readonly Lazy<IReadOnlyList<Sample>> Samples = new(Load);

    /// <summary>family, a model of it, documented bound on the mean and on the 95th percentile of |estimate − reference| / reference.</summary>
    public static TheoryData<string, string, double, double> Families() => new()
    {
        { "claude", "claude-sonnet-4-5", 0.03, 0.09 },
        { "gemini", "gemini-2.5-flash", 0.03, 0.09 },
        { "llama", "meta-llama/Llama-3.3-70B-Instruct", 0.02, 0.06 },
        { "granite", "ibm/granite-3-8b-instruct", 0.035, 0.12 },
    };

    public static TheoryData<string, string> FamiliesAndClasses()
    {
        var data = new TheoryData<string, string>();
        foreach (var family in new[] { "claude", "gemini", "llama", "granite" })
        {
            foreach (var textClass in new[] { "english", "japanese", "code", "json", "chat", "mixed" })
            {
                data.Add(family, textClass);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Estimates_held_out_samples_within_the_documented_error(string family, string model, double meanBound, double p95Bound)
    {
        var errors = HeldOut().Select(s => RelativeError(s, family, TokenCounter.CountText(model, s.Text))).ToArray();

        Assert.Equal(120, errors.Length);
        Assert.InRange(errors.Average(), 0, meanBound);
        Assert.InRange(Percentile95(errors), 0, p95Bound);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Reports_the_error_it_was_measured_with(string family, string model, double meanBound, double p95Bound)
    {
        var estimator = ModelTokenProfile.For(model).Estimator!;
        var errors = HeldOut().Select(s => RelativeError(s, family, TokenCounter.CountText(model, s.Text))).ToArray();

        Assert.Equal(family, estimator.Family);
        Assert.Equal(errors.Average(), estimator.MeanError, 0.001);
        Assert.Equal(Percentile95(errors), estimator.P95Error, 0.002);
        Assert.InRange(estimator.MeanError, 0, meanBound);
        Assert.InRange(estimator.P95Error, 0, p95Bound);
    }

    [Theory]
    [MemberData(nameof(FamiliesAndClasses))]
    public void Keeps_every_text_class_within_ten_percent_mean_error(string family, string textClass)
    {
        var model = Families().Single(row => (string)row[0] == family)[1].ToString()!;
        var errors = HeldOut().Where(s => s.Class == textClass)
            .Select(s => RelativeError(s, family, TokenCounter.CountText(model, s.Text))).ToArray();

        Assert.Equal(20, errors.Length);
        Assert.InRange(errors.Average(), 0, 0.10);
    }

    [Fact]
    public void Counts_the_base_vocabularies_as_the_calibration_tool_did()
    {
        foreach (var sample in Samples.Value)
        {
            Assert.Equal(sample.Counts["o200k"], TokenEncodings.Get(TokenEncoding.O200kBase).CountTokens(sample.Text));
            Assert.Equal(sample.Counts["cl100k"], TokenEncodings.Get(TokenEncoding.Cl100kBase).CountTokens(sample.Text));
        }
    }

    [Fact]
    public void Holds_out_every_third_sample_of_each_class()
    {
        var byClass = Samples.Value.GroupBy(s => s.Class).ToArray();

        Assert.Equal(6, byClass.Length);
        Assert.All(byClass, group =>
        {
            var samples = group.ToArray();
            Assert.Equal(60, samples.Length);
            Assert.All(samples.Select((s, i) => (s, i)), x => Assert.Equal(x.i % 3 == 0 ? "test" : "fit", x.s.Split));
        });
    }

    [Fact]
    public void Computes_the_character_features_the_calibration_tool_computes()
    {
        // letters, digits, whitespace, punctuation, cjk, other, newlines, blank runs, words, numbers
        var features = new int[TokenEstimator.FeatureCount];

        TokenEstimator.AddFeatures("def f(x):\n    return 42 # 東京 café 🙂\t\t", features);

        Assert.Equal([14, 2, 13, 4, 2, 2, 1, 2, 5, 1], features);
    }

    [Fact]
    public void Estimates_nothing_for_empty_text()
    {
        Assert.Equal(0, TokenCounter.CountText("claude-opus-4-1", string.Empty).Tokens);
        Assert.Equal(0, TokenCounter.CountText("gemini-2.5-pro", string.Empty).Tokens);
    }

    private static IEnumerable<Sample> HeldOut() => Samples.Value.Where(s => s.Split == "test");

    private static double RelativeError(Sample sample, string family, TokenCount count)
    {
        Assert.False(count.Exact);
        Assert.Equal(family, count.Family);
        var reference = sample.Counts[family];
        return Math.Abs(count.Tokens - reference) / (double)reference;
    }

    private static double Percentile95(double[] errors)
    {
        var sorted = errors.Order().ToArray();
        return sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1];
    }

    private static List<Sample> Load()
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(FixtureFiles.Path("Tokens", "calibration", "corpus"), "*.jsonl"))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                using var item = JsonDocument.Parse(line);
                texts.Add(item.RootElement.GetProperty("id").GetString()!, item.RootElement.GetProperty("text").GetString()!);
            }
        }

        using var fixture = JsonDocument.Parse(FixtureFiles.Text("Tokens", "calibration", "reference-counts.json"));
        return [.. fixture.RootElement.GetProperty("samples").EnumerateArray().Select(s => new Sample(
            s.GetProperty("id").GetString()!,
            s.GetProperty("class").GetString()!,
            s.GetProperty("split").GetString()!,
            texts[s.GetProperty("id").GetString()!],
            s.GetProperty("counts").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt32(), StringComparer.Ordinal)))];
    }

    private sealed record Sample(string Id, string Class, string Split, string Text, Dictionary<string, int> Counts);
}

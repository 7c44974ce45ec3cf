using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiGateway.Core.Pii;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Pii;

/// <summary>
/// The labelled corpus <c>Fixtures/Pii/corpus.jsonl</c> (made by <c>generate_corpus.py</c>, English and
/// Japanese, positives and hard negatives) scored per type.
/// </summary>
public sealed class PiiDetectorTests
{
    private static readonly string[] ChecksumTypes = ["ssn", "credit_card", "iban", "my_number"];

    [Fact]
    public void Finds_the_labelled_corpus_with_the_required_precision_and_recall()
    {
        // Arrange
        var detector = new PiiDetector(PiiDetector.AllBuiltIn);
        var scores = new Dictionary<string, (int Tp, int Fp, int Fn)>(StringComparer.Ordinal);
        var misses = new StringBuilder();
        var lines = File.ReadAllLines(FixtureFiles.Path("Pii", "corpus.jsonl"));
        var positives = 0;
        var negatives = 0;

        // Act
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var text = json.RootElement.GetProperty("text").GetString()!;
            var expected = json.RootElement.GetProperty("entities").EnumerateArray()
                .Select(e => (Type: e.GetProperty("type").GetString()!, Value: e.GetProperty("value").GetString()!)).ToList();
            positives += expected.Count;
            negatives += expected.Count == 0 ? 1 : 0;
            var found = detector.Find(text).Select(m => (Type: m.Label, Value: text.Substring(m.Start, m.Length))).ToList();
            foreach (var hit in found)
            {
                var s = scores.GetValueOrDefault(hit.Type);
                if (expected.Remove(hit))
                {
                    scores[hit.Type] = (s.Tp + 1, s.Fp, s.Fn);
                }
                else
                {
                    scores[hit.Type] = (s.Tp, s.Fp + 1, s.Fn);
                    misses.AppendLine(CultureInfo.InvariantCulture, $"false positive {hit.Type} '{hit.Value}' in: {text}");
                }
            }

            foreach (var miss in expected)
            {
                var s = scores.GetValueOrDefault(miss.Type);
                scores[miss.Type] = (s.Tp, s.Fp, s.Fn + 1);
                misses.AppendLine(CultureInfo.InvariantCulture, $"missed {miss.Type} '{miss.Value}' in: {text}");
            }
        }

        // Assert
        var tp = scores.Values.Sum(s => s.Tp);
        var fp = scores.Values.Sum(s => s.Fp);
        var fn = scores.Values.Sum(s => s.Fn);
        var report = string.Join("\n", scores.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: tp {s.Value.Tp} fp {s.Value.Fp} fn {s.Value.Fn}")) + "\n" + misses;
        Assert.True(positives >= 500 && negatives >= 500, $"corpus too small: {positives} positives, {negatives} negatives");
        Assert.All(ChecksumTypes, type => Assert.True(scores.GetValueOrDefault(type).Fn == 0, $"{type} recall below 1.0\n{report}"));
        Assert.True((double)tp / (tp + fn) >= 0.98, $"recall {(double)tp / (tp + fn):F3}\n{report}");
        Assert.True((double)tp / (tp + fp) >= 0.95, $"precision {(double)tp / (tp + fp):F3}\n{report}");
    }

    [Theory]
    [InlineData("4111 1111 1111 1111", "credit_card")]
    [InlineData("DE89 3704 0044 0532 0130 01", null)]
    [InlineData("DE89 3704 0044 0532 0130 00", "iban")]
    [InlineData("０９０－１２３４－５６７８", "phone")]
    [InlineData("2001:db8::1", "ip_address")]
    [InlineData("12:30:45", null)]
    [InlineData("123-45-6789", "ssn")]
    [InlineData("666-45-6789", null)]
    [InlineData("4111 1111 1111 1112", null)]
    public void Accepts_valid_values_and_rejects_look_alikes(string text, string? label)
    {
        var found = new PiiDetector(PiiDetector.AllBuiltIn).Find(text);

        Assert.Equal(label, found.SingleOrDefault().Label);
    }

    [Theory]
    [InlineData("john@example.com", "email:john@example.com")]
    [InlineData("4111 1111 1111 1111 is mine", "credit_card:4111 1111 1111 1111")]
    [InlineData("Call 090-1234-5678", "phone:090-1234-5678")]
    [InlineData("DE89370400440532013000", "iban:DE89370400440532013000")]
    [InlineData("a@b.co,c@d.co", "email:a@b.co|email:c@d.co")]
    [InlineData("123-45-6789, 4111 1111 1111 1111", "ssn:123-45-6789|credit_card:4111 1111 1111 1111")]
    [InlineData("192.168.0.1/2001:db8::1", "ip_address:192.168.0.1|ip_address:2001:db8::1")]
    [InlineData("(212) 555-0199／０３－１２３４－５６７８", "phone:(212) 555-0199|phone:０３－１２３４－５６７８")]
    [InlineData("電話０９０－１２３４－５６７８です", "phone:０９０－１２３４－５６７８")]
    [InlineData("番号は１２３４５６７８９０１８です", "my_number:１２３４５６７８９０１８")]
    [InlineData("😀john@example.com😀", "email:john@example.com")]
    [InlineData("📞090-1234-5678📞", "phone:090-1234-5678")]
    [InlineData("💳4111 1111 1111 1111💳 and 🌐2001:db8::1🌐", "credit_card:4111 1111 1111 1111|ip_address:2001:db8::1")]
    [InlineData("🏦DE89 3704 0044 0532 0130 00🏦", "iban:DE89 3704 0044 0532 0130 00")]
    [InlineData("x4111 1111 1111 1111", "credit_card:4111 1111 1111 1111")]
    [InlineData("A123-45-6789", "ssn:123-45-6789")]
    [InlineData("1123-45-6789", "")]
    [InlineData("123-45-67890", "")]
    [InlineData("192.168.10.20.5", "")]
    [InlineData("192.168.10.20.", "ip_address:192.168.10.20")]
    [InlineData("user@example.com-", "")]
    [InlineData("XDE89370400440532013000", "")]
    [InlineData("41111111111111114111111111111111411111111", "")]
    [InlineData("+12125550199", "phone:+12125550199")]
    [InlineData("a+12125550199", "")]
    public void Finds_entities_at_the_edges_next_to_each_other_and_next_to_any_character(string text, string expected)
    {
        var found = new PiiDetector(PiiDetector.AllBuiltIn).Find(text);

        Assert.Equal(expected, string.Join('|', found.Select(m => $"{m.Label}:{text.Substring(m.Start, m.Length)}")));
    }

    [Fact]
    public void Finds_nothing_in_long_digit_runs_and_entities_around_them()
    {
        var digits = new string('7', 100_000);
        var text = "mail a@b.co " + digits + " card 4111 1111 1111 1111";

        var found = new PiiDetector(PiiDetector.AllBuiltIn).Find(text);

        Assert.Equal(["email", "credit_card"], found.Select(m => m.Label));
    }

    [Fact]
    public void Keeps_the_earliest_then_longest_of_overlapping_findings_across_built_in_and_user_patterns()
    {
        var detector = new PiiDetector(PiiDetector.AllBuiltIn, [(new Regex(@"\d{3}-\d{2}", RegexOptions.CultureInvariant), "short"), (new Regex(@"[\w.]+@example\.com", RegexOptions.CultureInvariant), "mail")]);

        var found = detector.Find("123-45-6789 and john@example.com");

        Assert.Equal(["ssn", "email"], found.Select(m => m.Label));
    }

    [Fact]
    public void Applies_user_patterns_with_their_own_labels()
    {
        var detector = new PiiDetector([], [(new Regex(@"EMP-\d{6}", RegexOptions.CultureInvariant), "employee_id")]);

        var found = Assert.Single(detector.Find("Ask EMP-123456 about it."));

        Assert.Equal(("employee_id", 4, 10), (found.Label, found.Start, found.Length));
    }
}

using System.Text;
using System.Text.Json;
using AiGateway.Core.Pii.Detection;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Pii.Detection;

/// <summary>
/// The scanner must find exactly what each pattern finds when it runs over the whole text (the way the
/// detector worked before it looked for candidates first): same candidates, same order, for every pattern.
/// </summary>
public sealed class CandidateScannerTests
{
    private const int AllPatterns = (1 << 10) - 1;

    // Characters the patterns and their boundaries care about, plus prose, Japanese and a surrogate pair.
    private static readonly string[] Alphabet =
    [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "1", "9", "０", "１", "９", "５",
        " ", " ", "-", ".", "+", "(", ")", ":", "::", "@", "_", "%", "－", "‐", "−", "ー", "（", "）",
        "a", "f", "A", "F", "D", "E", "G", "B", "Z", "x", "e", "com", "example", "あ", "東", "😀", "\n", ",", "/",
    ];

    [Fact]
    public void Finds_what_whole_text_scans_find_in_each_corpus_text()
    {
        foreach (var text in CorpusTexts())
        {
            Assert.True(WholeTextScan(text).SequenceEqual(Scan(text)), $"differs on \"{text}\"");
        }
    }

    [Fact]
    public void Finds_what_whole_text_scans_find_in_the_corpus_run_together()
    {
        var lines = CorpusTexts();

        foreach (var separator in new[] { "", " ", "\n", "-", ".", ":", "0", "A", "😀" })
        {
            var text = string.Join(separator, lines);

            Assert.Equal(WholeTextScan(text), Scan(text));
        }
    }

    [Fact]
    public void Finds_what_whole_text_scans_find_in_random_text_made_of_the_characters_patterns_care_about()
    {
        var random = new Random(20261123);
        var text = new StringBuilder();
        for (var round = 0; round < 20_000; round++)
        {
            text.Clear();
            var pieces = random.Next(1, 40);
            for (var i = 0; i < pieces; i++)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            var sample = text.ToString();

            Assert.True(WholeTextScan(sample).SequenceEqual(Scan(sample)), $"differs on \"{sample}\"");
        }
    }

    [Fact]
    public void Finds_what_whole_text_scans_find_in_random_strings_of_entities_and_separators()
    {
        string[] entities =
        [
            "john.doe@example.com", "a@b.co", "(212) 555-0199", "+1 212 555 0199", "212.555.0199", "+44 20 7946 0958",
            "090-1234-5678", "03(1234)5678", "０９０－１２３４－５６７８", "０３（１２３４）５６７８", "123-45-6789", "123 45 6789",
            "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "192.168.10.20", "255.255.255.255",
            "2001:db8::1", "fe80::1:2:3:4", "::1", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000",
            "GB82WEST12345698765432", "1234 5678 9018", "１２３４５６７８９０１８", "12:30:45", "2024-05-01", "v2.4.1",
        ];
        string[] separators = ["", "", " ", "-", ".", ":", "@", "/", ",", "😀", "あ", "A", "1", "０", "\n", "+", "(", ")"];
        var random = new Random(42);
        var text = new StringBuilder();
        for (var round = 0; round < 5_000; round++)
        {
            text.Clear();
            var pieces = random.Next(1, 8);
            for (var i = 0; i < pieces; i++)
            {
                text.Append(separators[random.Next(separators.Length)]).Append(entities[random.Next(entities.Length)]);
            }

            text.Append(separators[random.Next(separators.Length)]);
            var sample = text.ToString();

            Assert.True(WholeTextScan(sample).SequenceEqual(Scan(sample)), $"differs on \"{sample}\"");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("@")]
    [InlineData(":")]
    [InlineData("::")]
    [InlineData("DE")]
    [InlineData("DE8")]
    [InlineData("DE89")]
    public void Handles_texts_too_short_for_any_entity(string text)
    {
        Assert.Equal(WholeTextScan(text), Scan(text));
    }

    [Fact]
    public void Finds_what_whole_text_scans_find_in_very_long_digit_runs()
    {
        var digits = string.Concat(Enumerable.Repeat("4111111111111111", 300));
        string[] texts = [digits, digits + " 4111 1111 1111 1111", string.Join(' ', Enumerable.Repeat("4111", 2_000)), string.Join('.', Enumerable.Repeat("10", 3_000)), new string('０', 5_000)];

        foreach (var text in texts)
        {
            Assert.Equal(WholeTextScan(text), Scan(text));
        }
    }

    [Fact]
    public void Runs_only_the_enabled_patterns()
    {
        const string text = "Mail a@b.co, call (212) 555-0199, card 4111 1111 1111 1111, host 2001:db8::1, IBAN DE89370400440532013000.";

        foreach (var pattern in Enum.GetValues<PiiPattern>())
        {
            var found = Scan(text, 1 << (int)pattern);

            Assert.All(found, c => Assert.Equal(pattern, c.Pattern));
            Assert.Equal(WholeTextScan(text).Where(c => c.Pattern == pattern), found);
        }
    }

    private static List<string> CorpusTexts() =>
        [.. File.ReadLines(FixtureFiles.Path("Pii", "corpus.jsonl")).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)];

    // Each pattern over the whole text, in pattern order, as the detector used to run them.
    private static List<PiiCandidate> WholeTextScan(string text)
    {
        var found = new List<PiiCandidate>();
        foreach (var pattern in Enum.GetValues<PiiPattern>())
        {
            foreach (var m in PiiPatterns.RegexOf(pattern).EnumerateMatches(text))
            {
                if (PiiPatterns.Accepts(pattern, text.AsSpan(m.Index, m.Length)))
                {
                    found.Add(new PiiCandidate(pattern, m.Index, m.Length));
                }
            }
        }

        return found;
    }

    // The scanner's candidates, grouped by pattern (its own order interleaves patterns).
    private static List<PiiCandidate> Scan(string text, int enabled = AllPatterns)
    {
        List<PiiCandidate>? found = null;
        CandidateScanner.Scan(text, enabled, ref found);
        return (found ?? []).OrderBy(c => c.Pattern).ToList();
    }
}

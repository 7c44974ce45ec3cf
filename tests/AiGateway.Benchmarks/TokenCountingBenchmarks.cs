using System.Text;
using System.Text.Json;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// Pre-request token counting: a ~100K-token chat prompt (o200k_base, gpt-4o) of pseudo-words drawn with a
/// Zipf-like skew (natural text repeats words, which the tokenizer caches), numbers and punctuation; the
/// same text counted as plain text; and a small chat request. The <c>Estimate_*</c> cases count the same text for
/// Claude (cl100k_base plus the calibrated estimator's character scan) and Gemini (o200k_base plus the scan).
/// </summary>
[MemoryDiagnoser]
public class TokenCountingBenchmarks
{
    private ParsedRequest _large = null!;
    private ParsedRequest _small = null!;
    private string _largeText = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        // A Zipf-like draw from 5,000 pseudo-words, as natural text repeats its words; trimmed to ~100K tokens.
        var random = new Random(42);
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        var vocabulary = new string[5000];
        for (var w = 0; w < vocabulary.Length; w++)
        {
            var chars = new char[random.Next(2, 10)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = letters[random.Next(letters.Length)];
            }

            vocabulary[w] = new string(chars);
        }

        var text = new StringBuilder();
        while (text.Length < 700_000)
        {
            text.Append(vocabulary[random.Next(random.Next(1, vocabulary.Length))]);
            text.Append(random.Next(12) switch
            {
                0 => ", ",
                1 => ". ",
                2 => $" {random.Next(1000)} ",
                3 => "\n",
                _ => " ",
            });
        }

        var full = text.ToString();
        var perChar = (double)TokenCounter.CountText("gpt-4o", full).Tokens / full.Length;
        text.Length = (int)(100_000 / perChar);
        _largeText = text.ToString();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { model = "gpt-4o", messages = new[] { new { role = "user", content = _largeText } } });
        _large = ClientRequestReader.Read(EndpointKind.ChatCompletions, body, out _)!;
        _small = ClientRequestReader.Read(EndpointKind.ChatCompletions, """{"model":"gpt-4o","messages":[{"role":"system","content":"You are helpful."},{"role":"user","content":"What is the capital of France?"}]}"""u8.ToArray(), out _)!;
        var tokens = TokenCounter.CountRequest(_large)!.Value.Tokens;
        Console.WriteLine($"// large prompt: {tokens} tokens, {body.Length} bytes");
    }

    [Benchmark]
    public long Count_100k_token_chat_request() => TokenCounter.CountRequest(_large)!.Value.Tokens;

    [Benchmark]
    public long Count_100k_token_text() => TokenCounter.CountText("gpt-4o", _largeText).Tokens;

    [Benchmark]
    public long Estimate_100k_token_text_for_claude() => TokenCounter.CountText("claude-sonnet-4-5", _largeText).Tokens;

    [Benchmark]
    public long Estimate_100k_token_text_for_gemini() => TokenCounter.CountText("gemini-2.5-flash", _largeText).Tokens;

    [Benchmark]
    public long Count_small_chat_request() => TokenCounter.CountRequest(_small)!.Value.Tokens;
}

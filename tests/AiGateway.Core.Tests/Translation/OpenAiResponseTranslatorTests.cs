using System.Buffers;
using System.Text;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Translation;

public sealed class OpenAiResponseTranslatorTests
{
    private const string Folder = "Translation/OpenAiToOpenAi";

    public static TheoryData<string> StreamCases() => [.. FixtureFiles.Cases(Folder, ".input.sse")];

    [Theory]
    [MemberData(nameof(StreamCases))]
    public void Hides_the_usage_chunk_the_client_did_not_ask_for_at_every_split_offset(string name)
    {
        var input = FixtureFiles.Bytes(Folder, name + ".input.sse");
        var expected = FixtureFiles.Text(Folder, name + ".expected.sse");
        var expectedUsage = ReadExpectedUsage(name);

        for (var split = 0; split <= input.Length; split++)
        {
            // Arrange
            using var translator = new OpenAiResponseTranslator(requestedStream: true, clientWantsUsage: false);
            Assert.True(translator.OnHeaders(200, "text/event-stream", endOfStream: false).StreamBody);

            // Act
            var output = Run(translator, input.AsSpan(0, split), input.AsSpan(split));

            // Assert
            Assert.Equal(expected, output);
            Assert.Equal(expectedUsage, translator.Usage);
        }
    }

    [Theory]
    [MemberData(nameof(StreamCases))]
    public void Passes_the_stream_unchanged_when_the_client_asked_for_usage(string name)
    {
        var input = FixtureFiles.Bytes(Folder, name + ".input.sse");
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = new OpenAiResponseTranslator(requestedStream: true, clientWantsUsage: true);
            translator.OnHeaders(200, "text/event-stream; charset=utf-8", endOfStream: false);
            var sink = new ArrayBufferWriter<byte>();

            var firstChanged = translator.OnBody(input.AsSpan(0, split), false, sink);
            var secondChanged = translator.OnBody(input.AsSpan(split), true, sink);

            Assert.False(firstChanged);
            Assert.False(secondChanged);
            Assert.Equal(ReadExpectedUsage(name), translator.Usage);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Turns_the_eos_finish_reason_of_compatible_servers_into_stop_at_every_split_offset(bool clientWantsUsage)
    {
        var input = FixtureFiles.Bytes("Translation/OpenAiToOpenAiCompatible", "together-eos.input.sse");
        var expected = FixtureFiles.Text("Translation/OpenAiToOpenAiCompatible", "together-eos.expected.sse");
        // The usage rides on the finish chunk, which has choices: it is kept whether or not the client asked.
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = new OpenAiResponseTranslator(requestedStream: true, clientWantsUsage, normalizeFinishReasons: true);
            translator.OnHeaders(200, "text/event-stream", endOfStream: false);

            var output = Run(translator, input.AsSpan(0, split), input.AsSpan(split));

            Assert.Equal(expected, output);
            Assert.Equal(new TokenUsage(5, 1, 6, 0, true), translator.Usage);
        }
    }

    [Fact]
    public void Turns_eos_into_stop_in_a_compatible_servers_json_answer_only()
    {
        var body = """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason" : "eos"}]}"""u8.ToArray();
        using var compatible = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false, normalizeFinishReasons: true);
        using var openAi = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false);
        compatible.OnHeaders(200, "application/json", endOfStream: false);
        openAi.OnHeaders(200, "application/json", endOfStream: false);
        var output = new ArrayBufferWriter<byte>();

        Assert.True(compatible.OnBody(body, true, output));
        Assert.Equal("""{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason" : "stop"}]}""", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.False(openAi.OnBody(body, true, new ArrayBufferWriter<byte>()));
    }

    public static TheoryData<string> CompatibleErrorCases() => [.. FixtureFiles.Cases("Translation/OpenAiToOpenAiCompatible", ".error.json")];

    [Theory]
    [MemberData(nameof(CompatibleErrorCases))]
    public void Turns_compatible_servers_errors_into_openai_errors_with_the_status_kept(string name)
    {
        var status = int.Parse(name[..name.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        using var translator = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false, normalizeFinishReasons: true);
        translator.OnHeaders(status, "application/json", endOfStream: false);
        var output = new ArrayBufferWriter<byte>();

        Assert.True(translator.OnBody(FixtureFiles.Bytes("Translation/OpenAiToOpenAiCompatible", name + ".error.json"), true, output));
        Assert.Equal(FixtureFiles.Text("Translation/OpenAiToOpenAiCompatible", name + ".expected-error.json").TrimEnd(), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Turns_the_flat_error_object_of_vllm_and_mistral_into_an_openai_error()
    {
        using var translator = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false, normalizeFinishReasons: true);
        translator.OnHeaders(400, "application/json", endOfStream: false);
        var output = new ArrayBufferWriter<byte>();

        var changed = translator.OnBody("""{"object":"error","message":"Tool call id has to be 9 characters","type":"invalid_request_message_order","param":null,"code":3230}"""u8, true, output);

        Assert.True(changed);
        Assert.Equal("""{"error":{"message":"Tool call id has to be 9 characters","type":"invalid_request_error","param":null,"code":"3230"}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Reads_usage_from_a_json_response_without_changing_it()
    {
        using var translator = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false);
        var body = """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}"""u8.ToArray();

        var decision = translator.OnHeaders(200, "application/json", endOfStream: false);
        var changed = translator.OnBody(body, true, new ArrayBufferWriter<byte>());

        Assert.False(decision.StreamBody);
        Assert.False(changed);
        Assert.Equal(new TokenUsage(9, 3, 12, 0, true), translator.Usage);
    }

    [Fact]
    public void Does_not_stream_an_event_stream_the_client_did_not_request()
    {
        using var translator = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false);

        Assert.False(translator.OnHeaders(200, "text/event-stream", endOfStream: false).StreamBody);
    }

    [Fact]
    public void Keeps_an_openai_error_body_and_its_status()
    {
        using var translator = new OpenAiResponseTranslator(requestedStream: true, clientWantsUsage: false);
        var body = """{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"""u8.ToArray();

        var decision = translator.OnHeaders(429, "application/json", endOfStream: false);
        var changed = translator.OnBody(body, true, new ArrayBufferWriter<byte>());

        Assert.False(decision.StreamBody);
        Assert.False(changed);
    }

    [Fact]
    public void Rewrites_a_plain_text_error_as_openai_error_json()
    {
        using var translator = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(503, "text/plain", endOfStream: false);
        var changed = translator.OnBody("upstream connect error"u8, true, output);

        Assert.True(changed);
        Assert.Equal(
            """{"error":{"message":"The upstream returned HTTP 503: upstream connect error","type":"server_error","param":null,"code":"service_unavailable"}}""",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Supplies_an_openai_error_body_for_an_error_without_a_body()
    {
        using var translator = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false);

        var decision = translator.OnHeaders(502, null, endOfStream: true);

        Assert.Equal("application/json", decision.ContentType);
        Assert.Contains("\"code\":\"bad_gateway\"", Encoding.UTF8.GetString(decision.ReplacementBody!), StringComparison.Ordinal);
    }

    private static string Run(OpenAiResponseTranslator translator, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var result = new StringBuilder();
        foreach (var (chunk, last) in new[] { (first.ToArray(), false), (second.ToArray(), true) })
        {
            var output = new ArrayBufferWriter<byte>();
            var changed = translator.OnBody(chunk, last, output);
            result.Append(Encoding.UTF8.GetString(changed ? output.WrittenSpan : chunk));
        }

        return result.ToString();
    }

    private static TokenUsage ReadExpectedUsage(string name) =>
        Core.Schemas.OpenAi.OpenAiUsageReader.Read(FixtureFiles.Bytes(Folder, name + ".usage.json"), out _);
}

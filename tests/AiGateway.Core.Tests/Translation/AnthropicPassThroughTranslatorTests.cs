using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Translation;

public sealed class AnthropicPassThroughTranslatorTests
{
    private static readonly ProviderDefinition Anthropic = new()
    {
        Name = "anthropic",
        Schema = ApiSchema.Anthropic,
        Endpoint = new Uri("https://api.anthropic.com"),
        Authority = "api.anthropic.com",
        BasePath = string.Empty,
        ApiKey = new Secret("sk-ant-test"),
        Models = new[] { "claude-sonnet-4-5" }.ToFrozenSet(),
        Priority = 1,
        Index = 0,
        IsSupported = true,
    };

    [Fact]
    public void Sends_the_body_unchanged_but_for_the_gateways_own_field()
    {
        var parsed = Parse("""{"model":"claude-sonnet-4-5","max_tokens":64,"prefer_provider":"anthropic","messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}],"top_k":5}""");
        var body = new ArrayBufferWriter<byte>();

        var upstream = new AnthropicPassThroughTranslator().TranslateRequest(parsed, Anthropic, body);

        Assert.Null(upstream.Error);
        Assert.Equal(
            """{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}],"top_k":5}""",
            Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Fact]
    public void Sets_the_providers_key_and_version_and_forwards_the_clients_beta_header()
    {
        var parsed = Parse("""{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[]}""") with { AnthropicBeta = "context-1m-2025-08-07" };

        var upstream = new AnthropicPassThroughTranslator().TranslateRequest(parsed, Anthropic, new ArrayBufferWriter<byte>());

        Assert.Equal("/v1/messages", upstream.Path);
        Assert.Contains(new KeyValuePair<string, string>("x-api-key", "sk-ant-test"), upstream.Headers);
        Assert.Contains(new KeyValuePair<string, string>("anthropic-version", "2023-06-01"), upstream.Headers);
        Assert.Contains(new KeyValuePair<string, string>("anthropic-beta", "context-1m-2025-08-07"), upstream.Headers);
        Assert.Contains(new KeyValuePair<string, string>("accept-encoding", "identity"), upstream.Headers);
    }

    [Fact]
    public void Passes_a_message_unchanged_and_reads_its_usage()
    {
        using var translator = new AnthropicPassThroughTranslator().CreateResponseTranslator(Parse("""{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[]}"""));
        var body = FixtureFiles.Bytes("Translation/OpenAiToAnthropic", "text-and-tool.response.json");

        var headers = translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(body, true, new ArrayBufferWriter<byte>());

        Assert.Equal(new ResponseHeadersResult(false, null, null), headers);
        Assert.False(changed);
        Assert.Equal(new TokenUsage(42, 15, 57, 10, true) { CacheWriteInputTokens = 7 }, translator.Usage);
    }

    [Fact]
    public void Passes_the_event_stream_unchanged_and_reads_its_usage_at_every_split_offset()
    {
        var input = FixtureFiles.Bytes("Translation/OpenAiToAnthropic", "tool-stream.input.sse");
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = new AnthropicPassThroughTranslator().CreateResponseTranslator(Parse("""{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[]}"""));
            var decision = translator.OnHeaders(200, "text/event-stream", false);

            var first = translator.OnBody(input.AsSpan(0, split), false, new ArrayBufferWriter<byte>());
            var last = translator.OnBody(input.AsSpan(split), true, new ArrayBufferWriter<byte>());

            Assert.True(decision.StreamBody);
            Assert.False(first || last);
            Assert.Equal(new TokenUsage(25, 12, 37, 5, true), translator.Usage);
        }
    }

    [Theory]
    [InlineData(429, """{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"},"request_id":"req_1"}""", """{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"},"request_id":"req_1"}""")]
    [InlineData(413, "Payload Too Large", """{"type":"error","error":{"type":"request_too_large","message":"The upstream returned HTTP 413: Payload Too Large"}}""")]
    [InlineData(404, """{"error":{"message":"No upstream route for this request.","type":"invalid_request_error","param":null,"code":"route_not_found"}}""", """{"type":"error","error":{"type":"not_found_error","message":"No upstream route for this request."}}""")]
    public void Leaves_anthropic_errors_alone_and_rewrites_the_rest(int status, string body, string expected)
    {
        using var translator = new AnthropicPassThroughTranslator().CreateResponseTranslator(Parse("""{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[]}"""));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(status, "text/plain", false);
        var changed = translator.OnBody(Encoding.UTF8.GetBytes(body), true, output);

        Assert.Equal(expected, changed ? Encoding.UTF8.GetString(output.WrittenSpan) : body);
    }

    private static ParsedRequest Parse(string json) =>
        AnthropicRequestReader.Read(Encoding.UTF8.GetBytes(json), out var error) ?? throw new InvalidOperationException(error!.Message);
}

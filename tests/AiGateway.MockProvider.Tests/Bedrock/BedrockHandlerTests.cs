using System.Buffers;
using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Streaming.EventStream;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.Core.Upstreams.Credentials.Aws;
using AiGateway.MockProvider.Bedrock;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Bedrock;

/// <summary>The Bedrock runtime endpoints: Converse, ConverseStream (event-stream frames), InvokeModel embeddings, SigV4 and API-key auth, faults.</summary>
public sealed class BedrockHandlerTests
{
    private const string Model = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private const string ConversePath = "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse";
    private const string StreamPath = "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream";
    private const string AccessKeyId = "AKIDMOCKBEDROCK";
    private const string SecretKey = "mock/secret/key";
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private const string Hello = """{"messages":[{"role":"user","content":[{"text":"Hello there"}]}],"system":[{"text":"Be brief"}]}""";

    private const string Weather = """
        {"messages":[{"role":"user","content":[{"text":"What is the weather in Paris?"}]}],
         "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object"}}}}]}}
        """;

    [Fact]
    public async Task Answers_converse_with_text_usage_and_a_request_id()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.Client.SendAsync(Request(ConversePath, Hello), mock.Ct);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert: input = ceil((8 + 11) / 4) + 3 × 2 = 11; output = ceil(26 / 4) = 7.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("00000000-0000-4000-8000-000000000001", response.Headers.GetValues("x-amzn-RequestId").Single());
        Assert.Equal(
            """{"output":{"message":{"role":"assistant","content":[{"text":"Mock reply to: Hello there"}]}},"stopReason":"end_turn","usage":{"inputTokens":11,"outputTokens":7,"totalTokens":18},"metrics":{"latencyMs":42}}""",
            body);
    }

    [Fact]
    public async Task Uses_a_tool_when_tools_are_given_and_the_user_asks_for_the_weather()
    {
        await using var mock = await MockServerFixture.StartAsync();

        using var response = await mock.Client.SendAsync(Request(ConversePath, Weather), mock.Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        Assert.Equal("tool_use", json.RootElement.GetProperty("stopReason").GetString());
        var toolUse = json.RootElement.GetProperty("output").GetProperty("message").GetProperty("content")[1].GetProperty("toolUse");
        Assert.Equal("get_weather", toolUse.GetProperty("name").GetString());
        Assert.Equal("What is the weather in Paris?", toolUse.GetProperty("input").GetProperty("query").GetString());
    }

    [Fact]
    public async Task Streams_event_stream_frames_with_valid_crcs_ending_in_metadata()
    {
        await using var mock = await MockServerFixture.StartAsync();

        using var response = await mock.Client.SendAsync(Request(StreamPath, Hello), mock.Ct);
        var frames = Decode(await response.Content.ReadAsByteArrayAsync(mock.Ct));

        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"],
            frames.Select(f => f.Type));
        Assert.Equal("Mock reply to: Hello there", string.Concat(frames.Where(f => f.Type == "contentBlockDelta").Select(f => f.Payload.RootElement.GetProperty("delta").GetProperty("text").GetString())));
        Assert.True(frames.All(f => f.Payload.RootElement.TryGetProperty("p", out _)));
        Assert.Equal(18, frames[^1].Payload.RootElement.GetProperty("usage").GetProperty("totalTokens").GetInt32());
    }

    [Fact]
    public async Task Streams_a_tool_use_as_a_block_start_and_input_deltas()
    {
        await using var mock = await MockServerFixture.StartAsync();

        using var response = await mock.Client.SendAsync(Request(StreamPath, Weather), mock.Ct);
        var frames = Decode(await response.Content.ReadAsByteArrayAsync(mock.Ct));

        var start = frames.Single(f => f.Type == "contentBlockStart").Payload.RootElement;
        Assert.Equal("get_weather", start.GetProperty("start").GetProperty("toolUse").GetProperty("name").GetString());
        var input = string.Concat(frames
            .Where(f => f.Type == "contentBlockDelta" && f.Payload.RootElement.GetProperty("delta").TryGetProperty("toolUse", out _))
            .Select(f => f.Payload.RootElement.GetProperty("delta").GetProperty("toolUse").GetProperty("input").GetString()));
        Assert.Equal("""{"query":"What is the weather in Paris?"}""", input);
        Assert.Equal("tool_use", frames.Single(f => f.Type == "messageStop").Payload.RootElement.GetProperty("stopReason").GetString());
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"user","content":[{"text":"b"}]}]}""", "must alternate")]
    [InlineData("""{"messages":[{"role":"assistant","content":[{"text":"a"}]}]}""", "must start with a user message")]
    [InlineData("""{"messages":[{"role":"user","content":[]}]}""", "is empty")]
    [InlineData("""{"messages":[{"role":"user","content":[{"text":" "}]}]}""", "is blank")]
    [InlineData("""{"messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"text":"x"}]}}]}]}""", "toolConfig field must be defined")]
    [InlineData("""{"model":"x","messages":[{"role":"user","content":[{"text":"a"}]}]}""", "extraneous key [model]")]
    public async Task Rejects_what_converse_rejects_with_a_validation_exception(string json, string message)
    {
        await using var mock = await MockServerFixture.StartAsync();

        using var response = await mock.Client.SendAsync(Request(ConversePath, json), mock.Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("ValidationException:", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(mock.Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_a_request_signed_with_a_configured_secret()
    {
        await using var mock = await MockServerFixture.StartAsync(SigV4Options());

        using var response = await mock.Client.SendAsync(await SignedAsync(mock, ConversePath, Hello, SecretKey, Now), mock.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Accepts_a_signed_request_for_an_arn_model_id_with_an_encoded_slash()
    {
        await using var mock = await MockServerFixture.StartAsync(SigV4Options());
        var path = "/bedrock/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile%2Fus.anthropic.claude-3-5-haiku-20241022-v1:0/converse";

        using var response = await mock.Client.SendAsync(await SignedAsync(mock, path, Hello, SecretKey, Now), mock.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("inference-profile", mock.Server.Requests.Single().Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong secret", 0, false, "InvalidSignatureException", "does not match the signature you provided")]
    [InlineData(SecretKey, 6, false, "InvalidSignatureException", "Signature expired")]
    [InlineData(SecretKey, 0, true, "InvalidSignatureException", "does not match the signature you provided")]
    public async Task Rejects_a_signature_it_cannot_recompute_with_a_403(string secret, int minutesOld, bool tamper, string errorType, string message)
    {
        await using var mock = await MockServerFixture.StartAsync(SigV4Options());
        var request = await SignedAsync(mock, ConversePath, Hello, secret, Now.AddMinutes(-minutesOld));
        if (tamper)
        {
            request.Content = Json(Hello.Replace("Hello", "Howdy", StringComparison.Ordinal));
        }

        using var response = await mock.Client.SendAsync(request, mock.Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith(errorType + ":", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(mock.Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "MissingAuthenticationTokenException")]
    [InlineData("Bearer wrong-key", "UnrecognizedClientException")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/20260102/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "UnrecognizedClientException")]
    public async Task Rejects_missing_or_unknown_credentials_with_a_403(string? authorization, string errorType)
    {
        await using var mock = await MockServerFixture.StartAsync(SigV4Options());
        var request = Request(ConversePath, Hello);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", authorization);
        }

        using var response = await mock.Client.SendAsync(request, mock.Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith(errorType + ":", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_a_configured_bedrock_api_key_as_a_bearer_token()
    {
        await using var mock = await MockServerFixture.StartAsync(SigV4Options());
        var request = Request(ConversePath, Hello);
        request.Headers.TryAddWithoutValidation("authorization", "Bearer bedrock-api-key");

        using var response = await mock.Client.SendAsync(request, mock.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(429, "ThrottlingException", "Too many requests, please wait before trying again.")]
    [InlineData(503, "ServiceUnavailableException", "Bedrock is unable to process your request.")]
    [InlineData(500, "InternalServerException", "The server encountered an internal error while processing the request.")]
    public async Task Answers_a_status_fault_with_bedrock_error_json(int status, string errorType, string message)
    {
        await using var mock = await MockServerFixture.StartAsync();
        var request = Request(ConversePath, Hello);
        request.Headers.Add("x-mock-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var response = await mock.Client.SendAsync(request, mock.Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.False(response.Headers.Contains("retry-after"));
        Assert.Equal($$"""{"message":"{{message}}"}""", await response.Content.ReadAsStringAsync(mock.Ct));
    }

    [Fact]
    public async Task Sends_an_exception_frame_for_a_mid_stream_fault()
    {
        await using var mock = await MockServerFixture.StartAsync();
        var request = Request(StreamPath, Hello);
        request.Headers.Add("x-mock-stream-error-after-events", "2");

        using var response = await mock.Client.SendAsync(request, mock.Ct);
        var frames = Decode(await response.Content.ReadAsByteArrayAsync(mock.Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, frames.Count);
        Assert.Equal(("exception", BedrockHandler.StreamExceptionType), (frames[2].MessageType, frames[2].Type));
        Assert.Equal("The model stream failed (mock fault).", frames[2].Payload.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Embeds_with_titan_one_input_per_call()
    {
        await using var mock = await MockServerFixture.StartAsync();

        using var response = await mock.Client.SendAsync(Request("/model/amazon.titan-embed-text-v2:0/invoke", """{"inputText":"hello world","dimensions":16}"""), mock.Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        Assert.Equal(16, json.RootElement.GetProperty("embedding").GetArrayLength());
        Assert.Equal(3, json.RootElement.GetProperty("inputTextTokenCount").GetInt32());
        Assert.Equal("3", response.Headers.GetValues("x-amzn-bedrock-input-token-count").Single());
    }

    [Fact]
    public async Task Embeds_with_cohere_a_vector_per_text()
    {
        await using var mock = await MockServerFixture.StartAsync();

        using var response = await mock.Client.SendAsync(Request("/model/cohere.embed-english-v3/invoke", """{"texts":["a","bb"],"input_type":"search_document"}"""), mock.Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        Assert.Equal(2, json.RootElement.GetProperty("embeddings").GetArrayLength());
        Assert.Equal(MockProviderOptions.DefaultEmbeddingDimensions, json.RootElement.GetProperty("embeddings")[1].GetArrayLength());
        Assert.Equal("2", response.Headers.GetValues("x-amzn-bedrock-input-token-count").Single());
    }

    private static MockProviderOptions SigV4Options() => new()
    {
        TimeProvider = new FixedTimeProvider(Now),
        Bedrock = new BedrockMockOptions
        {
            AccessKeys = new Dictionary<string, string> { [AccessKeyId] = SecretKey },
            ApiKeys = ["bedrock-api-key"],
            Region = "us-east-1",
        },
    };

    private static HttpRequestMessage Request(string path, string json) => new(HttpMethod.Post, path) { Content = Json(json) };

    private static ByteArrayContent Json(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Signs the way the gateway does, with its credentials step.</summary>
    private static async Task<HttpRequestMessage> SignedAsync(MockServerFixture mock, string path, string json, string secret, DateTimeOffset at)
    {
        var authority = mock.Server.BaseAddress.Authority;
        var provider = new ProviderDefinition
        {
            Name = "bedrock",
            Schema = ApiSchema.AwsBedrock,
            Endpoint = mock.Server.BaseAddress,
            Authority = authority,
            BasePath = string.Empty,
            ApiKey = Secret.Empty,
            Models = new[] { Model }.ToFrozenSet(),
            Priority = 1,
            Index = 0,
            IsSupported = true,
            Region = "us-east-1",
            Auth = new ProviderAuth { Kind = ProviderAuthKind.AwsSigV4, AccessKeyId = new Secret(AccessKeyId), SecretAccessKey = new Secret(secret) },
        };
        using var credentials = AwsSigV4Credentials.For(provider, new FixedTimeProvider(at));
        var headers = new List<KeyValuePair<string, string>>();
        var body = Encoding.UTF8.GetBytes(json);
        await credentials.ApplyAsync(new UpstreamAttempt(provider, "POST", path, [new("content-type", "application/json")], body), headers, mock.Ct);
        var request = Request(path, json);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static List<Frame> Decode(byte[] stream)
    {
        using var decoder = new EventStreamDecoder();
        var frames = new List<Frame>();
        decoder.Feed(stream, ref frames, static (ref List<Frame> list, in EventStreamMessage message) =>
            list.Add(new Frame(message.MessageType, message.EventType ?? message.ExceptionType, JsonDocument.Parse(message.Payload.ToArray()))));
        Assert.False(decoder.HasPartialMessage);
        return frames;
    }

    private sealed record Frame(string? MessageType, string? Type, JsonDocument Payload);
}

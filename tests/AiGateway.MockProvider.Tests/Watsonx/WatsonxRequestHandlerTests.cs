using System.Net;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Watsonx;

/// <summary>watsonx.ai chat and embeddings: IAM tokens only, version and project, IBM's shapes and errors.</summary>
public sealed class WatsonxRequestHandlerTests
{
    private const string Model = "ibm/granite-3-8b-instruct";
    private const string Hello = """{"model_id":"ibm/granite-3-8b-instruct","project_id":"p-1","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hello there"}]}""";
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static Task<MockServerFixture> StartAsync(TimeProvider? time = null) =>
        MockServerFixture.StartAsync(new MockProviderOptions { IbmApiKeys = [IbmCloud.ApiKey], TimeProvider = time ?? new FixedTimeProvider(Now) });

    [Fact]
    public async Task Answers_a_chat_in_watsonx_shape_with_model_id_version_usage_and_warnings()
    {
        // Arrange
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);

        // Act
        using var response = await IbmCloud.PostAsync(mock, IbmCloud.ChatPath, Hello, token);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert: prompt = ceil((8 + 11) / 4) + 3 × 2 = 11; completion = ceil(26 / 4) = 7.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mock-trace-2", response.Headers.GetValues("x-global-transaction-id").Single());
        Assert.Equal(
            """{"id":"chatcmpl-mock-1","object":"chat.completion","model_id":"ibm/granite-3-8b-instruct","model":"ibm/granite-3-8b-instruct","choices":[{"index":0,"message":{"role":"assistant","content":"Mock reply to: Hello there"},"finish_reason":"stop"}],"created":1767323045,"model_version":"1.1.0","created_at":"2026-01-02T03:04:05.000Z","usage":{"completion_tokens":7,"prompt_tokens":11,"total_tokens":18},"system":{"warnings":[{"message":"This model is a mock; its answers are not generated.","id":"disclaimer_warning"}]}}""",
            body);
    }

    [Theory]
    [InlineData(null, "authentication_token_not_valid")]
    [InlineData("sk-not-from-iam", "authentication_token_not_valid")]
    public async Task Accepts_only_bearer_tokens_issued_by_the_mock_iam(string? token, string code)
    {
        await using var mock = await StartAsync();

        using var response = await IbmCloud.PostAsync(mock, IbmCloud.ChatPath, Hello, token);
        var json = await IbmCloud.JsonAsync(response, mock);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(code, json.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(401, json.GetProperty("status_code").GetInt32());
        Assert.Equal("mock-trace-1", json.GetProperty("trace").GetString());
    }

    [Fact]
    public async Task Refuses_an_expired_token()
    {
        var clock = new SettableTimeProvider(Now);
        await using var mock = await StartAsync(clock);
        var token = await IbmCloud.TokenAsync(mock);

        clock.Now = Now.AddHours(1);
        using var response = await IbmCloud.PostAsync(mock, IbmCloud.ChatPath, Hello, token);
        var json = await IbmCloud.JsonAsync(response, mock);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_token_expired", json.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/ml/v1/text/chat", Hello, 400, "missing_argument")]
    [InlineData("/ml/v1/text/chat?version=latest", Hello, 400, "invalid_input_argument")]
    [InlineData(IbmCloud.ChatPath, """{"model_id":"m","messages":[{"role":"user","content":"x"}]}""", 400, "invalid_request_entity")]
    [InlineData(IbmCloud.ChatPath, """{"model_id":"m","project_id":"p","space_id":"s","messages":[{"role":"user","content":"x"}]}""", 400, "invalid_request_entity")]
    [InlineData(IbmCloud.ChatPath, """{"project_id":"p","messages":[{"role":"user","content":"x"}]}""", 400, "json_validation_error")]
    [InlineData(IbmCloud.ChatPath, """{"model":"m","model_id":"m","project_id":"p","messages":[{"role":"user","content":"x"}]}""", 400, "json_validation_error")]
    [InlineData(IbmCloud.ChatPath, """{"model_id":"m","project_id":"p","stream":true,"messages":[{"role":"user","content":"x"}]}""", 400, "json_validation_error")]
    [InlineData(IbmCloud.ChatPath, """{"model_id":"m","project_id":"p","messages":[]}""", 400, "json_validation_error")]
    [InlineData(IbmCloud.ChatPath, """{"model_id":"m","project_id":"p","tool_choice_option":"any","messages":[{"role":"user","content":"x"}]}""", 400, "invalid_input_argument")]
    [InlineData(IbmCloud.ChatPath, """{"model_id":"m","project_id":"p","tool_choice":"required","messages":[{"role":"user","content":"x"}]}""", 400, "invalid_input_argument")]
    [InlineData(IbmCloud.ChatPath, "{not json", 400, "json_type_error")]
    [InlineData("/ml/v1/deployments/d/text/generation?version=2024-05-31", Hello, 404, "not_found")]
    public async Task Answers_bad_requests_with_watsonx_errors(string path, string json, int status, string code)
    {
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);

        using var response = await IbmCloud.PostAsync(mock, path, json, token);
        var error = await IbmCloud.JsonAsync(response, mock);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, error.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(status, error.GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task Calls_the_weather_tool_when_tool_choice_option_is_required()
    {
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);
        var request = """{"model_id":"m","space_id":"s","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],"tool_choice_option":"required","messages":[{"role":"user","content":"Forecast in Rome?"}]}""";

        using var response = await IbmCloud.PostAsync(mock, IbmCloud.ChatPath, request, token);
        var choice = (await IbmCloud.JsonAsync(response, mock)).GetProperty("choices")[0];

        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Equal("call_mock_1", call.GetProperty("id").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"location":"Rome"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("content", out _));
    }

    [Fact]
    public async Task Streams_id_event_data_events_with_a_final_usage_chunk_and_no_done()
    {
        // Arrange
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);

        // Act
        using var response = await IbmCloud.PostAsync(mock, IbmCloud.StreamPath, Hello, token);
        var events = WatsonxSse.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.Id));
        Assert.All(events, e => Assert.Equal("message", e.Name));
        Assert.Equal("""{"role":"assistant","content":""}""", events[0].Json.GetProperty("choices")[0].GetProperty("delta").GetRawText());
        Assert.Equal("Mock reply to: Hello there", string.Concat(events.Skip(1).SkipLast(2).Select(e => e.Json.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString())));
        Assert.Equal("stop", events[^2].Json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, events[^1].Json.GetProperty("choices").GetArrayLength());
        Assert.Equal("""{"completion_tokens":7,"prompt_tokens":11,"total_tokens":18}""", events[^1].Json.GetProperty("usage").GetRawText());
        Assert.All(events, e => Assert.Equal(Model, e.Json.GetProperty("model_id").GetString()));
    }

    [Theory]
    [InlineData("\"tool_choice_option\":\"required\"", false)]
    [InlineData("\"tool_choice_option\":\"auto\"", true)]
    public async Task Streams_tool_calls_without_ids_when_tool_choice_option_is_required(string choice, bool hasId)
    {
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);
        var request = $$$"""{"model_id":"m","project_id":"p","tools":[{"type":"function","function":{"name":"get_weather"}}],{{{choice}}},"messages":[{"role":"user","content":"weather in Oslo"}]}""";

        using var response = await IbmCloud.PostAsync(mock, IbmCloud.StreamPath, request, token);
        var events = WatsonxSse.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        var first = events[0].Json.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Equal(hasId, first.TryGetProperty("id", out _));
        Assert.Equal("get_weather", first.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("tool_calls", events[^2].Json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Ends_a_stream_with_an_error_event_when_the_fault_says_so()
    {
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);

        using var response = await IbmCloud.PostAsync(mock, IbmCloud.StreamPath, Hello, token, (MockHeaders.StreamErrorAfterEvents, "2"));
        var events = WatsonxSse.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        Assert.Equal(3, events.Count);
        Assert.Equal("error", events[2].Name);
        Assert.Equal(3, events[2].Id);
        Assert.Equal("internal_error", events[2].Json.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Answers_an_injected_429_with_a_watsonx_error_and_retry_after()
    {
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);

        using var response = await IbmCloud.PostAsync(mock, IbmCloud.ChatPath, Hello, token, (MockHeaders.Status, "429"), (MockHeaders.RetryAfter, "3"));
        var json = await IbmCloud.JsonAsync(response, mock);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("3", response.Headers.GetValues("retry-after").Single());
        Assert.Equal("token_quota_reached", json.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Embeds_inputs_with_an_input_token_count()
    {
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);

        using var response = await IbmCloud.PostAsync(mock, IbmCloud.EmbeddingsPath, """{"inputs":["abcd","abcdefgh"],"model_id":"ibm/slate-30m-english-rtrvr","project_id":"p","parameters":{"return_options":{"input_text":true}}}""", token);
        var json = await IbmCloud.JsonAsync(response, mock);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ibm/slate-30m-english-rtrvr", json.GetProperty("model_id").GetString());
        Assert.Equal(3, json.GetProperty("input_token_count").GetInt32());
        var results = json.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal(MockProviderOptions.DefaultEmbeddingDimensions, results[0].GetProperty("embedding").GetArrayLength());
        Assert.Equal("abcdefgh", results[1].GetProperty("input").GetString());
    }

    [Theory]
    [InlineData("""{"input":["a"],"model_id":"m","project_id":"p"}""", "json_validation_error")]
    [InlineData("""{"inputs":[],"model_id":"m","project_id":"p"}""", "json_validation_error")]
    [InlineData("""{"inputs":["a"],"model_id":"m"}""", "invalid_request_entity")]
    public async Task Rejects_embeddings_requests_watsonx_would_reject(string json, string code)
    {
        await using var mock = await StartAsync();
        var token = await IbmCloud.TokenAsync(mock);

        using var response = await IbmCloud.PostAsync(mock, IbmCloud.EmbeddingsPath, json, token);
        var error = await IbmCloud.JsonAsync(response, mock);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, error.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    /// <summary>Splits a watsonx SSE body (<c>id: n\nevent: name\ndata: json\n\n</c>) and checks its framing.</summary>
    private static class WatsonxSse
    {
        public static List<(int Id, string Name, JsonElement Json)> Split(string body)
        {
            Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
            Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
            var events = new List<(int, string, JsonElement)>();
            foreach (var block in body[..^2].Split("\n\n"))
            {
                var lines = block.Split('\n');
                Assert.Equal(3, lines.Length);
                Assert.StartsWith("id: ", lines[0], StringComparison.Ordinal);
                Assert.StartsWith("event: ", lines[1], StringComparison.Ordinal);
                Assert.StartsWith("data: ", lines[2], StringComparison.Ordinal);
                events.Add((int.Parse(lines[0][4..], System.Globalization.CultureInfo.InvariantCulture), lines[1][7..], RequestJson.Parse(lines[2][6..])));
            }

            return events;
        }
    }
}

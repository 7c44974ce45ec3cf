using System.Globalization;
using System.Net;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Messages;

/// <summary>Non-streaming <c>POST {prefix}/messages</c>: body, tool use, limits, validation, auth and headers.</summary>
public sealed class MessagesHandlerTests
{
    internal const string Model = "claude-sonnet-4-5";
    internal static readonly (string, string)[] AnthropicHeaders = [("x-api-key", "sk-ant-test"), ("anthropic-version", "2023-06-01")];

    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private const string HelloRequest = """
        {"model":"claude-sonnet-4-5","max_tokens":100,"system":"Be brief","messages":[{"role":"user","content":"Hello there, how are you?"}]}
        """;

    private const string WeatherTools = """
        "tools":[{"name":"lookup","input_schema":{"type":"object"}},{"name":"get_weather","description":"Weather","input_schema":{"type":"object"}}]
        """;

    internal static Task<HttpResponseMessage> PostAsync(MockServerFixture mock, string json, string path = "/v1/messages") =>
        mock.PostJsonAsync(path, json, AnthropicHeaders);

    internal static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, MockServerFixture mock) =>
        RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

    [Fact]
    public async Task Returns_an_Anthropic_message_with_the_request_model_text_and_usage()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await PostAsync(mock, HelloRequest);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert: input = ceil((8 + 25) / 4) + 3 × (1 system block + 1 message) = 15; output = ceil(40 / 4) = 10.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            """
            {"id":"msg_mock_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Mock reply to: Hello there, how are you?"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":15,"output_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}
            """,
            body);
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/anthropic/v1/messages")]
    [InlineData("/messages")]
    public async Task Serves_messages_under_any_path_prefix_and_numbers_ids_per_server(string path)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var first = await PostAsync(mock, HelloRequest, path);
        using var second = await PostAsync(mock, HelloRequest, path);

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("msg_mock_1", (await ReadJsonAsync(first, mock)).GetProperty("id").GetString());
        Assert.Equal("msg_mock_2", (await ReadJsonAsync(second, mock)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_weather_question_with_tools_gets_a_text_block_and_a_tool_use_block()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var request = $$"""{"model":"m","max_tokens":50,{{WeatherTools}},"messages":[{"role":"user","content":"What's the weather in New York?"}]}""";

        // Act
        using var response = await PostAsync(mock, request);
        var json = await ReadJsonAsync(response, mock);

        // Assert
        Assert.Equal("tool_use", json.GetProperty("stop_reason").GetString());
        var content = json.GetProperty("content");
        Assert.Equal(2, content.GetArrayLength());
        Assert.Equal("""{"type":"text","text":"I'll use the get_weather tool."}""", content[0].GetRawText());
        Assert.Equal("""{"type":"tool_use","id":"toolu_mock_1","name":"get_weather","input":{"location":"New York"}}""", content[1].GetRawText());

        // output = ceil(30 / 4) + ceil((11 + 23) / 4) = 8 + 9
        Assert.Equal(17, json.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"type":"any"}""", "get_weather")]
    [InlineData("""{"type":"tool","name":"lookup"}""", "lookup")]
    public async Task Tool_choice_any_or_tool_forces_a_tool_use_without_the_trigger_word(string toolChoice, string expectedTool)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var request = $$"""{"model":"m","max_tokens":50,{{WeatherTools}},"tool_choice":{{toolChoice}},"messages":[{"role":"user","content":"Hi"}]}""";

        // Act
        using var response = await PostAsync(mock, request);
        var json = await ReadJsonAsync(response, mock);

        // Assert
        Assert.Equal("tool_use", json.GetProperty("stop_reason").GetString());
        var toolUse = json.GetProperty("content")[1];
        Assert.Equal(expectedTool, toolUse.GetProperty("name").GetString());
        Assert.Equal("San Francisco", toolUse.GetProperty("input").GetProperty("location").GetString());
    }

    [Theory]
    [InlineData("""{"type":"none"}""")]
    [InlineData("""{"type":"auto"}""")]
    public async Task Tool_choice_none_or_auto_without_the_trigger_word_answers_with_text(string toolChoice)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var question = toolChoice.Contains("none") ? "weather in Oslo?" : "Hi";
        var request = $$"""{"model":"m","max_tokens":50,{{WeatherTools}},"tool_choice":{{toolChoice}},"messages":[{"role":"user","content":"{{question}}"}]}""";

        // Act
        using var response = await PostAsync(mock, request);
        var json = await ReadJsonAsync(response, mock);

        // Assert
        Assert.Equal("end_turn", json.GetProperty("stop_reason").GetString());
        Assert.Equal("Mock reply to: " + question, Assert.Single(json.GetProperty("content").EnumerateArray()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_conversation_ending_in_a_tool_result_gets_text_echoing_the_last_user_text()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var request = $$$"""
            {"model":"m","max_tokens":50,{{{WeatherTools}}},"messages":[
              {"role":"user","content":"weather in Paris?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"}]}]}
            """;

        // Act
        using var response = await PostAsync(mock, request);
        var json = await ReadJsonAsync(response, mock);

        // Assert: input = ceil((17 + 5) / 4) + 3 × 3 = 15 (tool_use input is not counted, the tool_result text is).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("end_turn", json.GetProperty("stop_reason").GetString());
        Assert.Equal("Mock reply to: weather in Paris?", json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(15, json.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Max_tokens_cuts_the_reply_and_stops_with_max_tokens()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await PostAsync(mock, """{"model":"m","max_tokens":3,"messages":[{"role":"user","content":"a long question"}]}""");
        var json = await ReadJsonAsync(response, mock);

        // Assert
        Assert.Equal("max_tokens", json.GetProperty("stop_reason").GetString());
        Assert.Equal("Mock reply t", json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(3, json.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task A_stop_sequence_in_the_reply_cuts_it_and_is_reported()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await PostAsync(mock, """{"model":"m","max_tokens":100,"stop_sequences":["zzz","to:"],"messages":[{"role":"user","content":"hi"}]}""");
        var json = await ReadJsonAsync(response, mock);

        // Assert
        Assert.Equal("stop_sequence", json.GetProperty("stop_reason").GetString());
        Assert.Equal("to:", json.GetProperty("stop_sequence").GetString());
        Assert.Equal("Mock reply ", json.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "model: Field required")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Field required")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Input should be greater than or equal to 1")]
    [InlineData("""{"model":"m","max_tokens":10}""", "messages: Field required")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[]}""", "messages: at least one message is required")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"system","content":"hi"}]}""", "messages.0.role: Input should be 'user' or 'assistant'")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"tool","content":"x"}]}""", "messages.1.role: Input should be 'user' or 'assistant'")]
    [InlineData("""{"model":"m","max_tokens":10,"temperature":1.5,"messages":[{"role":"user","content":"hi"}]}""", "temperature: Input should be less than or equal to 1")]
    [InlineData("""{"model":"m","max_tokens":10,"temperature":-0.1,"messages":[{"role":"user","content":"hi"}]}""", "temperature: Input should be greater than or equal to 0")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":""}]}]}""", "messages: text content blocks must be non-empty")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":""}]}""", "messages.0: all messages must have non-empty content except for the optional final assistant message")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Sure "}]}""", "messages: final assistant content cannot end with trailing whitespace")]
    [InlineData("""{"model":"m","max_tokens":10,"system":[{"type":"text","text":""}],"messages":[{"role":"user","content":"hi"}]}""", "system: text content blocks must be non-empty")]
    [InlineData("""{"model":"m","max_tokens":10,"tool_choice":{"type":"required"},"messages":[{"role":"user","content":"hi"}]}""", "tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'")]
    [InlineData(
        """{"model":"m","max_tokens":10,"tools":[{"name":"t","input_schema":{}}],"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"ok"},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","content":"x"}]}]}""",
        "messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.")]
    [InlineData(
        """{"model":"m","max_tokens":10,"tools":[{"name":"t","input_schema":{}}],"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":{}}]},{"role":"user","content":"thanks"}]}""",
        "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each `tool_use` block must have a corresponding `tool_result` block in the next message.")]
    [InlineData(
        """{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"x"}]}]}""",
        "Requests which include `tool_use` or `tool_result` blocks must define tools.")]
    public async Task Invalid_requests_get_a_400_invalid_request_error_in_Anthropic_format(string request, string message)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await PostAsync(mock, request);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = RequestJson.Parse(body);
        Assert.Equal(["type", "error", "request_id"], json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(message, json.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("req_mock_1", json.GetProperty("request_id").GetString());
    }

    [Theory]
    [InlineData("{\"model\": \"m\", \"messages\": [")]
    [InlineData("")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":\"ten\",\"messages\":[]}")]
    public async Task Malformed_json_gets_a_400_in_Anthropic_format(string body)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await PostAsync(mock, body);
        var json = await ReadJsonAsync(response, mock);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_missing_anthropic_version_header_gets_a_400()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/v1/messages", HelloRequest, ("x-api-key", "k"));
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"type":"error","error":{"type":"invalid_request_error","message":"anthropic-version: header is required"},"request_id":"req_mock_1"}""", body);
    }

    [Fact]
    public async Task A_missing_x_api_key_gets_a_401_even_without_configured_keys()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/v1/messages", HelloRequest, ("anthropic-version", "2023-06-01"), ("authorization", "Bearer sk-ant-test"));
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"},"request_id":"req_mock_1"}""", body);
    }

    [Fact]
    public async Task Configured_keys_are_checked_against_x_api_key_on_messages_and_Bearer_elsewhere()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions
        {
            RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>>
            {
                ["/anthropic/"] = ["sk-ant-good"],
                ["/v1/"] = ["sk-openai"],
            },
        });
        var version = ("anthropic-version", "2023-06-01");

        // Act
        using var good = await mock.PostJsonAsync("/anthropic/v1/messages", HelloRequest, ("x-api-key", "sk-ant-good"), version);
        using var wrong = await mock.PostJsonAsync("/anthropic/v1/messages", HelloRequest, ("x-api-key", "sk-ant-bad"), version);
        using var bearerOnly = await mock.PostJsonAsync("/anthropic/v1/messages", HelloRequest, ("authorization", "Bearer sk-ant-good"), version);
        using var openAiKeyOnMessages = await mock.PostJsonAsync("/v1/messages", HelloRequest, ("x-api-key", "sk-openai"), version);
        using var chat = await mock.PostJsonAsync(
            "/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"hi"}]}""",
            ("authorization", "Bearer sk-openai"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var error = (await ReadJsonAsync(wrong, mock)).GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid x-api-key", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, bearerOnly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openAiKeyOnMessages.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    [Fact]
    public async Task Records_the_request_like_other_endpoints()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await PostAsync(mock, HelloRequest, "/anthropic/v1/messages");

        // Assert
        var recorded = Assert.Single(mock.Server.Requests);
        Assert.Equal("POST", recorded.Method);
        Assert.Equal("/anthropic/v1/messages", recorded.Path);
        Assert.Equal("sk-ant-test", recorded.Header("x-api-key"));
        Assert.Equal("2023-06-01", recorded.Header("anthropic-version"));
        Assert.Equal(HelloRequest, recorded.BodyText);
    }

    [Fact]
    public async Task Responses_carry_request_id_and_anthropic_rate_limit_headers_with_RFC_3339_resets()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { TimeProvider = new FixedTimeProvider(Now) });

        // Act
        using var ok = await PostAsync(mock, HelloRequest);
        using var invalid = await PostAsync(mock, """{"model":"m","messages":[]}""");

        // Assert
        Assert.Equal("req_mock_1", Header(ok, "request-id"));
        Assert.Equal("req_mock_2", Header(invalid, "request-id"));
        Assert.Equal("req_mock_2", (await ReadJsonAsync(invalid, mock)).GetProperty("request_id").GetString());
        foreach (var kind in new[] { "requests", "tokens", "input-tokens", "output-tokens" })
        {
            Assert.True(int.Parse(Header(ok, $"anthropic-ratelimit-{kind}-limit")!, CultureInfo.InvariantCulture) > 0);
            Assert.NotNull(Header(ok, $"anthropic-ratelimit-{kind}-remaining"));
            Assert.Equal("2026-01-02T03:04:06Z", Header(ok, $"anthropic-ratelimit-{kind}-reset"));
        }

        Assert.Equal("3999", Header(ok, "anthropic-ratelimit-requests-remaining"));
        Assert.Null(Header(ok, "x-request-id"));
        Assert.Null(Header(ok, "x-ratelimit-limit-requests"));
    }

    [Fact]
    public async Task Unknown_models_get_a_404_not_found_error_when_rejected()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { Models = [Model], RejectUnknownModels = true });

        // Act
        using var known = await PostAsync(mock, HelloRequest);
        using var unknown = await PostAsync(mock, """{"model":"claude-x","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""");

        // Assert
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found_error", (await ReadJsonAsync(unknown, mock)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Other_methods_on_a_messages_path_get_a_404_in_Anthropic_format()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.SendAsync(HttpMethod.Get, "/v1/messages", null, HttpCompletionOption.ResponseContentRead, AnthropicHeaders);
        var json = await ReadJsonAsync(response, mock);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("req_mock_1", json.GetProperty("request_id").GetString());
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

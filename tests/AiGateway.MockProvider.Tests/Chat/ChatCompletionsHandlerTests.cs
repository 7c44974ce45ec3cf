using System.Net;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Chat;

public sealed class ChatCompletionsHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private const string HelloRequest = """
        {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hello there, how are you?"}]}
        """;

    [Fact]
    public async Task Returns_an_OpenAI_chat_completion_with_the_request_model_text_and_usage()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { TimeProvider = new FixedTimeProvider(Now) });

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", HelloRequest);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            """
            {"id":"chatcmpl-mock-1","object":"chat.completion","created":1767323045,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Mock reply to: Hello there, how are you?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":15,"completion_tokens":10,"total_tokens":25,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_mock"}
            """,
            body);
    }

    [Fact]
    public async Task Numbers_completion_ids_per_server()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var first = await mock.PostJsonAsync("/v1/chat/completions", HelloRequest);
        using var second = await mock.PostJsonAsync("/v1/chat/completions", HelloRequest);

        // Assert
        Assert.Equal("chatcmpl-mock-1", await ReadIdAsync(first, mock.Ct));
        Assert.Equal("chatcmpl-mock-2", await ReadIdAsync(second, mock.Ct));
    }

    [Theory]
    [InlineData("/compat/v1/chat/completions")]
    [InlineData("/some/deep/prefix/v1/chat/completions")]
    [InlineData("/chat/completions")]
    public async Task Serves_chat_completions_under_any_path_prefix(string path)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync(path, HelloRequest);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chatcmpl-mock-1", await ReadIdAsync(response, mock.Ct));
    }

    [Fact]
    public async Task Answers_a_weather_question_with_tools_as_a_tool_call_with_null_content()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        const string request = """
            {"model":"gpt-4o","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
             "messages":[{"role":"user","content":"What's the weather in Paris?"}]}
            """;

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        var choice = json.RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("call_mock_1", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"location":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Max_tokens_cuts_the_reply_and_finishes_with_length()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", """{"model":"m","max_tokens":3,"messages":[{"role":"user","content":"a long question"}]}""");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        var choice = json.RootElement.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("Mock reply t", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("{\"model\": \"m\", \"messages\": [")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"model\": 42, \"messages\": []}")]
    public async Task Malformed_json_gets_a_400_in_OpenAI_error_format(string body)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", body);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = json.RootElement.GetProperty("error");
        Assert.StartsWith("We could not parse the JSON body", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Fact]
    public async Task A_request_without_model_gets_a_400()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("you must provide a model parameter", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Responses_carry_a_request_id_and_OpenAI_rate_limit_headers()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", HelloRequest);

        // Assert
        Assert.Equal("req_mock_1", Header(response, "x-request-id"));
        Assert.Equal("10000", Header(response, "x-ratelimit-limit-requests"));
        Assert.Equal("9999", Header(response, "x-ratelimit-remaining-requests"));
        Assert.Equal("30000000", Header(response, "x-ratelimit-limit-tokens"));
        Assert.NotNull(Header(response, "x-ratelimit-remaining-tokens"));
        Assert.Equal("6ms", Header(response, "x-ratelimit-reset-requests"));
        Assert.Equal("0s", Header(response, "x-ratelimit-reset-tokens"));
        Assert.NotNull(Header(response, "openai-processing-ms"));
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions")]
    [InlineData("POST", "/v1/completions")]
    public async Task An_unknown_operation_gets_a_404_in_OpenAI_error_format(string method, string path)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null, HttpCompletionOption.ResponseContentRead);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"Invalid URL ({method} {path})", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    private static async Task<string?> ReadIdAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("id").GetString();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

using System.Net;
using System.Text.Json;
using AiGateway.MockProvider.Gemini;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Gemini;

/// <summary>Gemini API (AI Studio) and Vertex AI model methods: bodies, function calls, streams, embeddings, auth and errors.</summary>
public sealed class GeminiHandlerTests
{
    private const string StudioPath = "/gemini/v1beta/models/gemini-2.5-flash:generateContent";
    private const string StudioStreamPath = "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent";
    private const string VertexPath = "/vertex/v1/projects/p1/locations/global/publishers/google/models/gemini-2.5-flash:generateContent";
    private const string VertexStreamPath = "/vertex/v1/projects/p1/locations/global/publishers/google/models/gemini-2.5-flash:streamGenerateContent";
    private static readonly (string, string) StudioKey = ("x-goog-api-key", "AIza-test");
    private static readonly (string, string) VertexToken = ("authorization", "Bearer ya29.test");

    private const string Hello = """
        {"systemInstruction":{"parts":[{"text":"Be brief"}]},"contents":[{"role":"user","parts":[{"text":"Hello there, how are you?"}]}]}
        """;

    private const string WeatherTools = """
        "tools":[{"functionDeclarations":[{"name":"lookup"},{"name":"get_weather","parametersJsonSchema":{"type":"object"}}]}]
        """;

    private static Task<MockServerFixture> StartAsync() => MockServerFixture.StartAsync(new MockProviderOptions
    {
        RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>> { ["/gemini/"] = ["AIza-test"], ["/vertex/"] = ["ya29.test"] },
    });

    [Fact]
    public async Task Returns_a_gemini_response_with_text_finish_reason_and_usage()
    {
        // Arrange
        await using var mock = await StartAsync();

        // Act
        using var response = await mock.PostJsonAsync(StudioPath, Hello, StudioKey);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert: prompt = ceil((8 + 25) / 4) + 3 × (1 system part + 1 content) = 15; candidates = ceil(40 / 4) = 10.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """
            {"candidates":[{"content":{"parts":[{"text":"Mock reply to: Hello there, how are you?"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":15,"candidatesTokenCount":10,"totalTokenCount":25},"modelVersion":"gemini-2.5-flash","responseId":"mock-resp-1"}
            """,
            body);
    }

    [Fact]
    public async Task A_weather_question_with_tools_gets_a_function_call()
    {
        await using var mock = await StartAsync();
        var request = $$"""{"contents":[{"role":"user","parts":[{"text":"What's the weather in New York?"}]}],{{WeatherTools}}}""";

        using var response = await mock.PostJsonAsync(StudioPath, request, StudioKey);
        var candidate = RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct)).GetProperty("candidates")[0];

        var call = Assert.Single(candidate.GetProperty("content").GetProperty("parts").EnumerateArray()).GetProperty("functionCall");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("New York", call.GetProperty("args").GetProperty("location").GetString());
        Assert.Equal("STOP", candidate.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Mode_any_with_allowed_names_forces_that_function_and_a_function_response_gets_text()
    {
        await using var mock = await StartAsync();
        var forced = """{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],""" + WeatherTools + ""","toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["lookup"]}}}""";
        var answered = """
            {"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"location":"Paris"}}}]},
             {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"18 C"}}}]}],
            """ + WeatherTools + "}";

        using var first = await mock.PostJsonAsync(StudioPath, forced, StudioKey);
        using var second = await mock.PostJsonAsync(StudioPath, answered, StudioKey);

        Assert.Equal("lookup", RequestJson.Parse(await first.Content.ReadAsStringAsync(mock.Ct)).GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("functionCall").GetProperty("name").GetString());
        Assert.Equal("Mock reply to: Weather in Paris?", RequestJson.Parse(await second.Content.ReadAsStringAsync(mock.Ct)).GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Streams_sse_events_with_crlf_framing_and_a_final_finish_event()
    {
        // Arrange
        await using var mock = await StartAsync();

        // Act
        using var response = await mock.PostJsonAsync(StudioStreamPath + "?alt=sse", """{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}""", StudioKey);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert: "Mock reply to: Hi" is four words, then the finish event with an empty text part.
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("\r\n\r\n", body, StringComparison.Ordinal);
        var events = body[..^4].Split("\r\n\r\n").Select(e => RequestJson.Parse(e["data: ".Length..])).ToList();
        Assert.Equal(5, events.Count);
        Assert.Equal("Mock reply to: Hi", string.Concat(events.Select(e => e.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString())));
        Assert.All(events.SkipLast(1), e => Assert.False(e.GetProperty("candidates")[0].TryGetProperty("finishReason", out _)));
        Assert.Equal("STOP", events[^1].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.Equal(5, events[^1].GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32());
    }

    [Fact]
    public async Task Streams_a_function_call_in_its_own_event_before_the_stop_event()
    {
        await using var mock = await StartAsync();
        var request = $$"""{"contents":[{"role":"user","parts":[{"text":"What's the weather in Oslo?"}]}],{{WeatherTools}}}""";

        using var response = await mock.PostJsonAsync(StudioStreamPath + "?alt=sse", request, StudioKey);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        var events = body[..^4].Split("\r\n\r\n").Select(e => RequestJson.Parse(e["data: ".Length..])).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal("Oslo", events[0].GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("functionCall").GetProperty("args").GetProperty("location").GetString());
        Assert.Equal("STOP", events[1].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Streams_a_json_array_without_alt_sse()
    {
        await using var mock = await StartAsync();

        using var response = await mock.PostJsonAsync(StudioStreamPath, """{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}""", StudioKey);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("[{\"candidates\"", body, StringComparison.Ordinal);
        Assert.Contains("},\r\n{", body, StringComparison.Ordinal);
        Assert.Equal(5, RequestJson.Parse(body).GetArrayLength());
    }

    [Fact]
    public async Task Vertex_paths_take_a_bearer_token_and_answer_the_same_body()
    {
        await using var mock = await StartAsync();

        using var response = await mock.PostJsonAsync(VertexPath, Hello, VertexToken);
        using var withKey = await mock.PostJsonAsync(VertexPath, Hello, StudioKey);
        using var wrongToken = await mock.PostJsonAsync(VertexPath, Hello, ("authorization", "Bearer other"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        var error = RequestJson.Parse(await withKey.Content.ReadAsStringAsync(mock.Ct)).GetProperty("error");
        Assert.Equal(401, error.GetProperty("code").GetInt32());
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Forbidden, "PERMISSION_DENIED")]
    [InlineData("wrong", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    public async Task AI_studio_paths_need_the_listed_x_goog_api_key(string? key, HttpStatusCode status, string googleStatus)
    {
        await using var mock = await StartAsync();

        using var response = key is null
            ? await mock.PostJsonAsync(StudioPath, Hello, VertexToken)
            : await mock.PostJsonAsync(StudioPath, Hello, ("x-goog-api-key", key));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(googleStatus, RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct)).GetProperty("error").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Accepts_the_key_in_the_query_string_too()
    {
        await using var mock = await StartAsync();

        using var response = await mock.PostJsonAsync(StudioPath + "?key=AIza-test", Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"contents":[]}""", "contents is not specified")]
    [InlineData("""{"contents":[{"role":"assistant","parts":[{"text":"x"}]}]}""", "valid role")]
    [InlineData("""{"contents":[{"role":"user","parts":[]}]}""", "must not be empty")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"x","inlineData":{"mimeType":"a","data":"b"}}]}]}""", "exactly one")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"functionResponse":{"name":"f","response":{}}}]}]}""", "number of function response parts")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"x"}]}],"generationConfig":{"temperature":3}}""", "temperature")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"x"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":{},"parametersJsonSchema":{}}]}]}""", "mutually exclusive")]
    [InlineData("not json", "Invalid JSON payload")]
    public async Task Rejects_invalid_requests_with_google_invalid_argument(string json, string message)
    {
        await using var mock = await StartAsync();

        using var response = await mock.PostJsonAsync(StudioPath, json, StudioKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct)).GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_fault_is_resource_exhausted_with_retry_info()
    {
        await using var mock = await StartAsync();
        mock.Server.AddFault(FaultRule.RateLimited(retryAfterSeconds: 7, "/gemini/", times: 1));

        using var response = await mock.PostJsonAsync(StudioPath, Hello, StudioKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(
            """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota) (injected by mock provider).","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7s"}]}}""",
            await response.Content.ReadAsStringAsync(mock.Ct));
    }

    [Fact]
    public async Task Vertex_array_streams_wrap_errors_in_an_array()
    {
        await using var mock = await StartAsync();

        using var response = await mock.PostJsonAsync(VertexStreamPath, Hello, ("authorization", "Bearer nope"), ("x-mock-status", "403"));
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("[{\"error\":{\"code\":401", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mid_stream_fault_sends_a_google_error_event()
    {
        await using var mock = await StartAsync();

        using var response = await mock.PostJsonAsync(StudioStreamPath + "?alt=sse", Hello, StudioKey, ("x-mock-stream-error-after-events", "1"));
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        var events = body[..^4].Split("\r\n\r\n");
        Assert.Equal(2, events.Length);
        Assert.Equal("""data: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""", events[1]);
    }

    [Fact]
    public async Task Batch_embeds_each_request_with_its_output_dimensionality()
    {
        await using var mock = await StartAsync();
        const string request = """
            {"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]},"outputDimensionality":3},
                         {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]},"outputDimensionality":3}]}
            """;

        using var response = await mock.PostJsonAsync("/gemini/v1beta/models/gemini-embedding-001:batchEmbedContents", request, StudioKey);
        var embeddings = RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct)).GetProperty("embeddings");

        Assert.Equal(2, embeddings.GetArrayLength());
        Assert.All(embeddings.EnumerateArray(), e => Assert.Equal(3, e.GetProperty("values").GetArrayLength()));
    }

    [Fact]
    public async Task Vertex_predict_answers_values_and_token_counts()
    {
        await using var mock = await StartAsync();

        using var response = await mock.PostJsonAsync(
            "/vertex/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-embedding-001:predict",
            """{"instances":[{"content":"hello world"}],"parameters":{"outputDimensionality":4}}""",
            VertexToken);
        var embeddings = RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct)).GetProperty("predictions")[0].GetProperty("embeddings");

        Assert.Equal(4, embeddings.GetProperty("values").GetArrayLength());
        Assert.Equal(3, embeddings.GetProperty("statistics").GetProperty("token_count").GetInt32());
    }

    [Theory]
    [InlineData("/v1beta/models/gemini-2.5-flash:generateContent", "AiStudio", "gemini-2.5-flash", "generateContent")]
    [InlineData("/g/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:streamGenerateContent", "Vertex", "gemini-2.5-pro", "streamGenerateContent")]
    [InlineData("/v1beta/models/text-embedding-004:batchEmbedContents", "AiStudio", "text-embedding-004", "batchEmbedContents")]
    public void Resolves_gemini_and_vertex_model_methods(string path, string api, string model, string method)
    {
        Assert.True(GeminiRoute.TryResolve(path, out var route));
        Assert.Equal(new GeminiRoute(Enum.Parse<GeminiApi>(api), model, method), route);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/models/gpt-4o")]
    [InlineData("/v1beta/models/gemini:countTokens")]
    public void Leaves_other_paths_to_the_openai_routes(string path) =>
        Assert.False(GeminiRoute.TryResolve(path, out _));
}

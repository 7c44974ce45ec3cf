using System.Buffers;
using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;
using AiGateway.MockProvider;

namespace AiGateway.EndToEnd.Tests.Translation;

/// <summary>
/// The vertex-ai translators against the mock's Vertex AI paths, without Envoy: what a vertex-ai provider
/// sends once the credentials step has added its bearer token (here a fixed token the mock accepts).
/// </summary>
public sealed class VertexAiAgainstMockTests : IAsyncLifetime
{
    private const string Token = "ya29.e2e-vertex";
    private MockProviderServer _mock = null!;
    private HttpClient _http = null!;
    private ProviderDefinition _vertex = null!;

    public async Task InitializeAsync()
    {
        _mock = await MockProviderServer.StartAsync(new MockProviderOptions
        {
            RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>> { ["/vertex/"] = [Token] },
        });
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var endpoint = _mock.GetUri("/vertex/v1");
        _vertex = new ProviderDefinition
        {
            Name = "vertex",
            Schema = ApiSchema.VertexAi,
            Endpoint = endpoint,
            Authority = endpoint.Authority,
            BasePath = endpoint.AbsolutePath.TrimEnd('/'),
            ApiKey = Secret.Empty,
            Models = new[] { "gemini-2.5-flash", "gemini-embedding-001" }.ToFrozenSet(),
            Priority = 1,
            Index = 0,
            IsSupported = true,
            Region = "us-central1",
            ProjectId = "e2e-project",
        };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _mock.DisposeAsync();
    }

    [Fact]
    public async Task A_chat_with_a_tool_call_round_trips_through_vertex()
    {
        var (status, body) = await RoundTripAsync(EndpointKind.ChatCompletions, """
            {"model":"gemini-2.5-flash","messages":[{"role":"user","content":"What is the weather in Rome?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]}
            """);

        Assert.Equal(200, status);
        using var completion = JsonDocument.Parse(body);
        var choice = completion.RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("""{"location":"Rome"}""", choice.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("/vertex/v1/projects/e2e-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent", _mock.Requests.Single().Path);
    }

    [Fact]
    public async Task A_stream_round_trips_through_vertex_with_done()
    {
        var (status, body) = await RoundTripAsync(EndpointKind.ChatCompletions, """{"model":"gemini-2.5-flash","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(200, status);
        Assert.Contains("\"role\":\"assistant\",\"content\":\"Mock", body, StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"stop\"", body, StringComparison.Ordinal);
        Assert.Contains("\"choices\":[],\"usage\":{\"prompt_tokens\":4", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.EndsWith(":streamGenerateContent?alt=sse", _mock.Requests.Single().Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_round_trip_through_vertex_predict_with_token_usage()
    {
        var (status, body) = await RoundTripAsync(EndpointKind.Embeddings, """{"model":"gemini-embedding-001","input":["hello world","hi"],"dimensions":5}""");

        Assert.Equal(200, status);
        using var list = JsonDocument.Parse(body);
        Assert.Equal(5, list.RootElement.GetProperty("data")[1].GetProperty("embedding").GetArrayLength());
        Assert.Equal(4, list.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.EndsWith("/publishers/google/models/gemini-embedding-001:predict", _mock.Requests.Single().Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_mock_does_not_know_comes_back_as_an_openai_401()
    {
        var (status, body) = await RoundTripAsync(EndpointKind.ChatCompletions, """{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}]}""", token: "ya29.stale");

        Assert.Equal(401, status);
        using var error = JsonDocument.Parse(body);
        Assert.Equal("unauthenticated", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    private async Task<(int Status, string Body)> RoundTripAsync(EndpointKind endpoint, string json, string token = Token)
    {
        var parsed = OpenAiRequestReader.Read(endpoint, Encoding.UTF8.GetBytes(json), out var clientError) ?? throw new InvalidOperationException(clientError!.Message);
        Assert.True(new TranslatorRegistry().TryGet(endpoint, ApiSchema.VertexAi, out var translator));
        var body = new ArrayBufferWriter<byte>();
        var upstream = translator.TranslateRequest(parsed, _vertex, body);
        Assert.Null(upstream.Error);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_vertex.Endpoint, upstream.Path)) { Content = new ByteArrayContent(body.WrittenMemory.ToArray()) };
        foreach (var (name, value) in upstream.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        // What the credentials step adds after translation.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();

        using var responses = translator.CreateResponseTranslator(parsed);
        responses.OnHeaders((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), answer.Length == 0);
        var output = new ArrayBufferWriter<byte>();
        var changed = responses.OnBody(answer, true, output);
        return (responses.StatusOverride ?? (int)response.StatusCode, Encoding.UTF8.GetString(changed ? output.WrittenSpan : answer));
    }
}

using System.Net;
using System.Text;
using System.Text.Json;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>Every gateway error reaches the client as OpenAI error JSON with the right status; no request hangs.</summary>
public sealed class GatewayErrorTests : IAsyncLifetime
{
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData("{\"model\":\"gpt-4o-mini\",\"messages\":[", 400, "invalid_json")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "missing_model")]
    [InlineData("{\"model\":\"gpt-9-turbo\",\"messages\":[]}", 404, "model_not_found")]
    public async Task Bad_chat_bodies_get_openai_errors(string body, int status, string code)
    {
        using var http = _stack.HttpClient();

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertOpenAiErrorAsync(response, status, code);
        Assert.Empty(_stack.Provider.Requests);
    }

    [Fact]
    public async Task An_unsupported_path_gets_404()
    {
        using var http = _stack.HttpClient();

        using var response = await http.PostAsync("/v1/audio/speech", new StringContent("{}", Encoding.UTF8, "application/json"));

        await AssertOpenAiErrorAsync(response, 404, "unknown_url");
    }

    [Fact]
    public async Task A_body_over_envoys_buffer_limit_gets_413_as_openai_error_json()
    {
        using var http = _stack.HttpClient();
        var huge = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 9 * 1024 * 1024) + "\"}]}";

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(huge, Encoding.UTF8, "application/json"));

        await AssertOpenAiErrorAsync(response, 413, "request_too_large");
        Assert.Empty(_stack.Provider.Requests);
    }

    [Fact]
    public async Task A_provider_that_resets_mid_stream_ends_the_client_stream_instead_of_hanging()
    {
        _stack.Provider.AddFault(new AiGateway.MockProvider.FaultRule { PathPrefix = "/", ResetAfterEvents = 2, ChunkDelay = TimeSpan.FromMilliseconds(150), Times = 1 });
        using var http = _stack.HttpClient();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var read = async () =>
        {
            using var response = await http.PostAsync("/v1/chat/completions", new StringContent("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"one two three four five"}]}""", Encoding.UTF8, "application/json"), cancel.Token);
            return await response.Content.ReadAsStringAsync(cancel.Token);
        };

        // Either the body ends early or reading fails; what must not happen is a hang.
        try
        {
            var body = await read();
            Assert.DoesNotContain("data: [DONE]", body, StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
        }
        catch (IOException)
        {
        }

        Assert.False(cancel.IsCancellationRequested, "the client stream hung");

        // The reset came after the response headers went downstream: too late to retry, as in Envoy.
        var record = await _stack.SingleRecordAsync();
        Assert.Single(record.Attempts);
        Assert.True(record.Aborted);
    }

    private static async Task AssertOpenAiErrorAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
    }
}

using System.ClientModel;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>The official OpenAI .NET SDK through the Envoy stand-in, our extproc and the mock provider.</summary>
public sealed class OpenAiSdkTests : IAsyncLifetime
{
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        Assert.DoesNotContain(GatewayStack.OpenAiKey, _stack.ExtProc.Logs.AllText, StringComparison.Ordinal);
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task Chat_completion_reaches_the_provider_with_its_key_and_returns_content_usage_and_provider()
    {
        var chat = _stack.OpenAiClient().GetChatClient("gpt-4o-mini");

        var result = await chat.CompleteChatAsync([new UserChatMessage("Hello gateway")]);

        Assert.Equal("Mock reply to: Hello gateway", result.Value.Content[0].Text);
        Assert.True(result.Value.Usage.InputTokenCount > 0);
        Assert.Equal(result.Value.Usage.InputTokenCount + result.Value.Usage.OutputTokenCount, result.Value.Usage.TotalTokenCount);
        Assert.Equal("openai", Header(result, "x-provider-used"));
        Assert.Matches("^[0-9a-f]{32}$", Header(result, "x-ai-gateway-request-id"));

        var received = Assert.Single(_stack.Provider.Requests);
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("Bearer " + GatewayStack.OpenAiKey, received.Headers["authorization"]);
        Assert.DoesNotContain(received.Headers, h => h.Value.Contains(GatewayStack.GatewayKey, StringComparison.Ordinal));
        Assert.DoesNotContain(received.Headers.Keys, k => k is "x-ai-gateway-model" or "x-ai-gateway-provider");
        Assert.Equal(received.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), received.Headers["content-length"]);

        var record = await _stack.SingleRecordAsync();
        var metadata = record.Metadata("ai_gateway");
        Assert.Equal("openai", metadata["provider"]);
        Assert.Equal("gpt-4o-mini", metadata["model"]);
        Assert.Equal((double)result.Value.Usage.InputTokenCount, metadata["input_tokens"]);
        Assert.Equal((double)result.Value.Usage.OutputTokenCount, metadata["output_tokens"]);
        Assert.Equal((double)result.Value.Usage.TotalTokenCount, metadata["total_tokens"]);
        Assert.Equal(0.0, metadata["cached_input_tokens"]);
    }

    [Fact]
    public async Task Streaming_chat_arrives_chunk_by_chunk_with_the_usage_the_sdk_asked_for()
    {
        var chat = _stack.OpenAiClient().GetChatClient("gpt-4o-mini");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        var updates = 0;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me a story")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Equal("Mock reply to: Tell me a story", text.ToString());
        Assert.True(updates > 3);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        var received = Assert.Single(_stack.Provider.Requests);
        using var body = JsonDocument.Parse(received.Body);
        Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal((double)usage.TotalTokenCount, (await _stack.SingleRecordAsync()).Metadata("ai_gateway")["total_tokens"]);
    }

    [Fact]
    public async Task A_stream_without_include_usage_does_not_show_the_usage_chunk_the_gateway_asked_for()
    {
        using var http = _stack.HttpClient();

        using var response = await http.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        var stream = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("openai", response.Headers.GetValues("x-provider-used").Single());
        Assert.DoesNotContain("\"choices\":[]", stream, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", stream, StringComparison.Ordinal);
        using var sent = JsonDocument.Parse(_stack.Provider.Requests.Single().Body);
        Assert.True(sent.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.True((double)(await _stack.SingleRecordAsync()).Metadata("ai_gateway")["output_tokens"]! > 0);
    }

    [Fact]
    public async Task Embeddings_pass_through()
    {
        var embeddings = _stack.OpenAiClient().GetEmbeddingClient("text-embedding-3-small");

        var result = await embeddings.GenerateEmbeddingAsync("hello");

        Assert.Equal(MockProviderOptions.DefaultEmbeddingDimensions, result.Value.ToFloats().Length);
        Assert.Equal("/v1/embeddings", _stack.Provider.Requests.Single().Path);
        Assert.True((double)(await _stack.SingleRecordAsync()).Metadata("ai_gateway")["input_tokens"]! > 0);
    }

    [Fact]
    public async Task Models_are_listed_from_configuration_without_calling_a_provider()
    {
        var models = await _stack.OpenAiClient().GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal(["amazon.titan-embed-text-v2:0", "anthropic.claude-3-5-haiku-20241022-v1:0", "claude-sonnet-4-5", "gemini-2.5-flash", "gemini-embedding-001", "gpt-4o", "gpt-4o-mini", "ibm/granite-3-8b-instruct", "ibm/slate-30m-english-rtrvr", "llama-3.1-8b-instruct", "text-embedding-3-small"], models.Value.Select(m => m.Id));
        Assert.Equal(["bedrock", "bedrock", "anthropic", "gemini", "gemini", "openai", "openai", "watsonx", "watsonx", "local-vllm", "openai"], models.Value.Select(m => m.OwnedBy));
        Assert.Empty(_stack.Provider.Requests);
    }

    [Fact]
    public async Task Prefer_provider_is_honoured_and_removed_from_the_body()
    {
        using var http = _stack.HttpClient();

        using var response = await http.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o-mini","prefer_provider":"local-vllm","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("local-vllm", response.Headers.GetValues("x-provider-used").Single());
        var received = _stack.Provider.Requests.Single();
        Assert.Equal("/compat/v1/chat/completions", received.Path);
        Assert.Equal("Bearer " + GatewayStack.VllmKey, received.Headers["authorization"]);
        Assert.DoesNotContain("prefer_provider", Encoding.UTF8.GetString(received.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_openai_gets_its_deployment_url_and_api_key_header()
    {
        using var http = _stack.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi Azure"}]}"""),
        };
        request.Headers.Add("x-ai-gateway-prefer-provider", "azure");

        using var response = await http.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("azure", response.Headers.GetValues("x-provider-used").Single());
        var received = _stack.Provider.Requests.Single();
        Assert.Equal("/openai/deployments/mini-deployment/chat/completions?api-version=2024-10-21", received.Path);
        Assert.Equal(GatewayStack.AzureKey, received.Headers["api-key"]);
        Assert.False(received.Headers.ContainsKey("authorization"));
        Assert.False(received.Headers.ContainsKey("x-ai-gateway-prefer-provider"));
    }

    [Fact]
    public async Task A_rate_limited_provider_falls_back_to_the_next_one_with_the_next_ones_credentials()
    {
        _stack.Provider.AddFault(new FaultRule { PathPrefix = "/v1/", StatusCode = 429, RetryAfterSeconds = 1, Times = 1 });
        var chat = _stack.OpenAiClient().GetChatClient("gpt-4o-mini");

        var result = await chat.CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.Equal("local-vllm", Header(result, "x-provider-used"));
        var requests = _stack.Provider.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(("/v1/chat/completions", "Bearer " + GatewayStack.OpenAiKey), (requests[0].Path, requests[0].Headers["authorization"]));
        Assert.Equal(("/compat/v1/chat/completions", "Bearer " + GatewayStack.VllmKey), (requests[1].Path, requests[1].Headers["authorization"]));
        Assert.Equal(requests[0].Body.ToArray(), requests[1].Body.ToArray());
        Assert.Equal("local-vllm", (await _stack.SingleRecordAsync()).Metadata("ai_gateway")["provider"]);
    }

    [Fact]
    public async Task A_provider_error_that_is_not_retried_reaches_the_client_with_its_status()
    {
        _stack.Provider.AddFault(new FaultRule { PathPrefix = "/v1/", StatusCode = 500, ErrorMessage = "The server had an error", Times = 1 });
        var chat = _stack.OpenAiClient().GetChatClient("gpt-4o");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(500, error.Status);
        using var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString());
        Assert.Equal("The server had an error", body.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string? Header<T>(ClientResult<T> result, string name) =>
        result.GetRawResponse().Headers.TryGetValue(name, out var value) ? value : null;
}

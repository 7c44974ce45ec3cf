using System.ClientModel;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider;
using OpenAI.Chat;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>
/// The official OpenAI SDK against models served by IBM watsonx.ai: extproc exchanges the IBM Cloud API key
/// at the mock IAM and the mock's watsonx.ai accepts only the tokens that IAM issued.
/// </summary>
public sealed class WatsonxProviderTests : IAsyncLifetime
{
    private const string Model = "ibm/granite-3-8b-instruct";
    private const string EmbeddingModel = "ibm/slate-30m-english-rtrvr";
    private const string WrongKey = "ibm-key-the-iam-does-not-know";
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        Assert.DoesNotContain(GatewayStack.WatsonxKey, _stack.ExtProc.Logs.AllText, StringComparison.Ordinal);
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task Chat_goes_to_watsonx_with_an_iam_token_and_comes_back_in_openai_format()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        var result = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello watsonx")]);

        Assert.Equal("Mock reply to: Hello watsonx", result.Value.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.Equal(Model, result.Value.Model);
        Assert.True(result.Value.Usage.InputTokenCount > 0);
        Assert.Equal("watsonx", result.GetRawResponse().Headers.TryGetValue("x-provider-used", out var used) ? used : null);
        var received = Assert.Single(WatsonxRequests());
        Assert.Equal("/ml/v1/text/chat?version=2024-05-31", received.Path);
        Assert.StartsWith("Bearer mock-iam-", received.Headers["authorization"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(Model, body.RootElement.GetProperty("model_id").GetString());
        Assert.Equal("5c1b2a4e-0000-0000-0000-000000000000", body.RootElement.GetProperty("project_id").GetString());
        Assert.False(body.RootElement.TryGetProperty("model", out _));
    }

    [Fact]
    public async Task Streaming_chat_arrives_as_openai_chunks_with_usage_and_done()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me a story")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal("Mock reply to: Tell me a story", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        Assert.Equal((double)usage.TotalTokenCount, (await _stack.SingleRecordAsync()).Metadata("ai_gateway")["total_tokens"]);
        Assert.Equal("/ml/v1/text/chat_stream?version=2024-05-31", Assert.Single(WatsonxRequests()).Path);
    }

    [Fact]
    public async Task Tool_calls_come_back_as_openai_tool_calls()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };

        var result = await chat.CompleteChatAsync([new UserChatMessage("What is the weather in Tokyo?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, result.Value.FinishReason);
        var call = Assert.Single(result.Value.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.False(string.IsNullOrEmpty(call.Id));
        using var arguments = JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal("Tokyo", arguments.RootElement.GetProperty("location").GetString());
    }

    [Fact]
    public async Task Streamed_tool_calls_without_ids_from_watsonx_get_ids()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        var arguments = new StringBuilder();
        string? name = null;
        string? id = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Forecast in Lima")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                id ??= call.ToolCallId;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.StartsWith("call_", id, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("Lima", parsed.RootElement.GetProperty("location").GetString());
        using var sent = JsonDocument.Parse(Assert.Single(WatsonxRequests()).Body);
        Assert.Equal("required", sent.RootElement.GetProperty("tool_choice_option").GetString());
    }

    [Fact]
    public async Task Embeddings_come_back_as_an_openai_list_with_usage()
    {
        var embeddings = _stack.OpenAiClient().GetEmbeddingClient(EmbeddingModel);

        var result = await embeddings.GenerateEmbeddingsAsync(["first text", "second text"]);

        Assert.Equal(2, result.Value.Count);
        Assert.Equal(MockProviderOptions.DefaultEmbeddingDimensions, result.Value[0].ToFloats().Length);
        Assert.Equal(1.0, Math.Sqrt(result.Value[1].ToFloats().ToArray().Sum(v => (double)v * v)), 3);
        Assert.Equal(6, result.Value.Usage.InputTokenCount);
        var received = Assert.Single(WatsonxRequests());
        Assert.Equal("/ml/v1/text/embeddings?version=2024-05-31", received.Path);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(2, body.RootElement.GetProperty("inputs").GetArrayLength());
    }

    [Fact]
    public async Task A_key_iam_refuses_is_a_502_naming_iams_reason_and_never_the_key()
    {
        // Arrange
        await _stack.DisposeAsync();
        _stack = await GatewayStack.StartAsync(watsonxApiKey: WrongKey);
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        // Act
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")]));

        // Assert
        Assert.Equal(502, error.Status);
        using var body = JsonDocument.Parse(error.GetRawResponse()!.Content);
        var openAiError = body.RootElement.GetProperty("error");
        Assert.Equal(
            "The gateway could not authenticate to provider 'watsonx': IBM Cloud IAM refused the API key (HTTP 400 BXNIM0415E: Provided API key could not be found.)",
            openAiError.GetProperty("message").GetString());
        Assert.Equal("upstream_auth_failed", openAiError.GetProperty("code").GetString());
        Assert.Empty(WatsonxRequests());
        Assert.Contains("IBM Cloud IAM refused the API key", _stack.ExtProc.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, _stack.ExtProc.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_watsonx_refuses_an_expired_token_the_next_request_carries_a_new_one()
    {
        // Arrange: the mock's clock runs two hours ahead once the first token is in use, so watsonx.ai
        // finds that token expired while extproc still holds it for valid.
        await _stack.DisposeAsync();
        var mockClock = new ShiftedClock();
        _stack = await GatewayStack.StartAsync(providerTime: mockClock);
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        await chat.CompleteChatAsync([new UserChatMessage("Before expiry")]);
        mockClock.Offset = TimeSpan.FromHours(2);

        // Act
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("After expiry")]));
        var retried = await chat.CompleteChatAsync([new UserChatMessage("Sent again")]);

        // Assert: the 401 reaches the client (the gateway cannot replay it), the next request succeeds.
        Assert.Equal(401, refused.Status);
        using (var body = JsonDocument.Parse(refused.GetRawResponse()!.Content))
        {
            Assert.Equal("authentication_token_expired", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal("Mock reply to: Sent again", retried.Value.Content[0].Text);
        var tokens = WatsonxRequests().Select(r => r.Headers["authorization"]).ToList();
        Assert.Equal(3, tokens.Count);
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
        Assert.Contains("refused its token (401); fetching a new one now", _stack.ExtProc.Logs.AllText, StringComparison.Ordinal);
    }

    private static ChatTool WeatherTool() =>
        ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}},"additionalProperties":false}"""));

    /// <summary>What reached watsonx.ai (the IAM token exchanges left out).</summary>
    private List<RecordedRequest> WatsonxRequests() =>
        [.. _stack.Provider.Requests.Where(r => r.Path.StartsWith("/ml/v1/", StringComparison.Ordinal))];

    /// <summary>The system clock moved by <see cref="Offset"/>.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}

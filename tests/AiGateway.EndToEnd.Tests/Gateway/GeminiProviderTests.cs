using System.ClientModel;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>The official OpenAI SDK against models served by Gemini (the mock speaks the Gemini API, AI Studio flavour).</summary>
public sealed class GeminiProviderTests : IAsyncLifetime
{
    private const string Model = "gemini-2.5-flash";
    private const string ChatPath = "/gemini/v1beta/models/gemini-2.5-flash:generateContent";
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        await _stack.DisposeAsync();
    }

    private static ChatCompletionOptions WeatherTool() => new()
    {
        Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}}}""")) },
    };

    [Fact]
    public async Task Chat_is_translated_to_generate_content_and_back()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        var result = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello Gemini")]);

        Assert.Equal("Mock reply to: Hello Gemini", result.Value.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.True(result.Value.Usage.InputTokenCount > 0);
        Assert.Equal(result.Value.Usage.InputTokenCount + result.Value.Usage.OutputTokenCount, result.Value.Usage.TotalTokenCount);
        Assert.Equal("gemini", result.GetRawResponse().Headers.TryGetValue("x-provider-used", out var used) ? used : null);
        var received = _stack.Provider.Requests.Single();
        Assert.Equal(ChatPath, received.Path);
        Assert.Equal(GatewayStack.GeminiKey, received.Headers["x-goog-api-key"]);
        Assert.False(received.Headers.ContainsKey("authorization"));
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("Be brief.", body.RootElement.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("user", body.RootElement.GetProperty("contents")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Streaming_chat_arrives_as_openai_chunks_with_usage()
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
        Assert.Equal("/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", _stack.Provider.Requests.Single().Path);
        Assert.Equal((double)usage.TotalTokenCount, (await _stack.SingleRecordAsync()).Metadata("ai_gateway")["total_tokens"]);
    }

    [Fact]
    public async Task Tool_calls_come_back_as_openai_tool_calls_and_results_go_back_as_function_responses()
    {
        // Arrange
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Tokyo?")];

        // Act: the call, then its result sent back under the generated id.
        var first = await chat.CompleteChatAsync(messages, WeatherTool());
        var call = Assert.Single(first.Value.ToolCalls);
        messages.Add(new AssistantChatMessage(first.Value));
        messages.Add(new ToolChatMessage(call.Id, "22 C and sunny"));
        var second = await chat.CompleteChatAsync(messages, WeatherTool());

        // Assert
        Assert.Equal(ChatFinishReason.ToolCalls, first.Value.FinishReason);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
        using var arguments = JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal("Tokyo", arguments.RootElement.GetProperty("location").GetString());
        Assert.Equal("Mock reply to: What is the weather in Tokyo?", second.Value.Content[0].Text);
        using var sent = JsonDocument.Parse(_stack.Provider.Requests[1].Body);
        var response = sent.RootElement.GetProperty("contents")[2].GetProperty("parts")[0].GetProperty("functionResponse");
        Assert.Equal("get_weather", response.GetProperty("name").GetString());
        Assert.Equal("22 C and sunny", response.GetProperty("response").GetProperty("output").GetString());
    }

    [Fact]
    public async Task Streamed_tool_calls_come_back_as_openai_tool_call_deltas()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var arguments = new StringBuilder();
        string? name = null;
        string? id = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("What is the weather in Tokyo?")], WeatherTool()))
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
        Assert.NotNull(id);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("Tokyo", parsed.RootElement.GetProperty("location").GetString());
    }

    [Fact]
    public async Task Embeddings_are_translated_to_batch_embed_contents()
    {
        var embeddings = _stack.OpenAiClient().GetEmbeddingClient("gemini-embedding-001");

        var result = await embeddings.GenerateEmbeddingsAsync(["hello", "world"], new EmbeddingGenerationOptions { Dimensions = 4 });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, e => Assert.Equal(4, e.ToFloats().Length));
        Assert.NotEqual(result.Value[0].ToFloats().ToArray(), result.Value[1].ToFloats().ToArray());
        var received = _stack.Provider.Requests.Single();
        Assert.Equal("/gemini/v1beta/models/gemini-embedding-001:batchEmbedContents", received.Path);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(4, body.RootElement.GetProperty("requests")[1].GetProperty("outputDimensionality").GetInt32());
    }

    [Fact]
    public async Task A_rate_limited_gemini_answer_reaches_the_client_as_an_openai_429()
    {
        // Every attempt the gateway makes is rate limited: the client sees Google's 429 in OpenAI's shape.
        _stack.Provider.AddFault(FaultRule.RateLimited(retryAfterSeconds: 3, "/gemini/"));
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(429, error.Status);
        using var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString());
        var details = body.RootElement.GetProperty("error");
        Assert.Equal("rate_limit_error", details.GetProperty("type").GetString());
        Assert.Equal("resource_exhausted", details.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_parameter_gemini_cannot_honour_is_a_400_before_any_provider_call()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")], new ChatCompletionOptions { IncludeLogProbabilities = true }));

        Assert.Equal(400, error.Status);
        Assert.Empty(_stack.Provider.Requests);
    }
}

using System.Text;
using System.Text.Json;
using OpenAI.Chat;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>The official OpenAI SDK against a model served by Anthropic (the mock speaks the Messages API).</summary>
public sealed class AnthropicProviderTests : IAsyncLifetime
{
    private const string Model = "claude-sonnet-4-5";
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task Chat_is_translated_to_messages_and_back()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        var result = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello Claude")]);

        Assert.Equal("Mock reply to: Hello Claude", result.Value.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.True(result.Value.Usage.InputTokenCount > 0);
        Assert.Equal("anthropic", result.GetRawResponse().Headers.TryGetValue("x-provider-used", out var used) ? used : null);
        var received = _stack.Provider.Requests.Single();
        Assert.Equal("/anthropic/v1/messages", received.Path);
        Assert.Equal(GatewayStack.AnthropicKey, received.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", received.Headers["anthropic-version"]);
        Assert.False(received.Headers.ContainsKey("authorization"));
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("Be brief.", body.RootElement.GetProperty("system")[0].GetProperty("text").GetString());
        Assert.Equal(4096, body.RootElement.GetProperty("max_tokens").GetInt32());
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
        Assert.Equal((double)usage.TotalTokenCount, (await _stack.SingleRecordAsync()).Metadata("ai_gateway")["total_tokens"]);
    }

    [Fact]
    public async Task Tool_calls_come_back_as_openai_tool_calls()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var options = new ChatCompletionOptions
        {
            Tools =
            {
                ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}}}""")),
            },
        };

        var result = await chat.CompleteChatAsync([new UserChatMessage("What is the weather in Tokyo?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, result.Value.FinishReason);
        var call = Assert.Single(result.Value.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        using var arguments = JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal("Tokyo", arguments.RootElement.GetProperty("location").GetString());
    }

    [Fact]
    public async Task Streamed_tool_calls_come_back_as_openai_tool_call_deltas()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}}}""")) },
        };
        var arguments = new StringBuilder();
        string? name = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("What is the weather in Tokyo?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("Tokyo", parsed.RootElement.GetProperty("location").GetString());
    }
}

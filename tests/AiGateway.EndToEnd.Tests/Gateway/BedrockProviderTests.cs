using System.ClientModel;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider;
using OpenAI.Chat;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>
/// The official OpenAI SDK against models served by AWS Bedrock: the mock speaks Converse, ConverseStream
/// (binary event stream) and InvokeModel, and rejects any request whose SigV4 signature it cannot recompute.
/// </summary>
public sealed class BedrockProviderTests : IAsyncLifetime
{
    private const string Model = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private const string EmbeddingModel = "amazon.titan-embed-text-v2:0";
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task Chat_is_signed_translated_to_converse_and_back()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        var result = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello Bedrock")]);

        Assert.Equal("Mock reply to: Hello Bedrock", result.Value.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.Equal(Model, result.Value.Model);
        Assert.StartsWith("chatcmpl-00000000-0000-4000-8000-", result.Value.Id, StringComparison.Ordinal);
        Assert.True(result.Value.Usage.InputTokenCount > 0);
        Assert.Equal("bedrock", result.GetRawResponse().Headers.TryGetValue("x-provider-used", out var used) ? used : null);
        var received = _stack.Provider.Requests.Single();
        Assert.Equal("/bedrock/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse", received.Path);
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={GatewayStack.BedrockAccessKeyId}/", received.Headers["authorization"], StringComparison.Ordinal);
        Assert.Contains("/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=", received.Headers["authorization"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("Be brief.", body.RootElement.GetProperty("system")[0].GetProperty("text").GetString());
        Assert.False(body.RootElement.TryGetProperty("model", out _));
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
        Assert.Equal("/bedrock/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream", _stack.Provider.Requests.Single().Path);
        Assert.Equal((double)usage.TotalTokenCount, (await _stack.SingleRecordAsync()).Metadata("ai_gateway")["total_tokens"]);
    }

    [Fact]
    public async Task Tool_calls_come_back_as_openai_tool_calls_and_results_go_back_as_tool_results()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Lima?")];

        var first = await chat.CompleteChatAsync(messages, options);
        var call = Assert.Single(first.Value.ToolCalls);
        messages.Add(new AssistantChatMessage(first.Value));
        messages.Add(new ToolChatMessage(call.Id, "21C and sunny"));
        var second = await chat.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.Value.FinishReason);
        Assert.Equal("get_weather", call.FunctionName);
        using (var arguments = JsonDocument.Parse(call.FunctionArguments))
        {
            Assert.Equal("What is the weather in Lima?", arguments.RootElement.GetProperty("query").GetString());
        }

        Assert.Equal(ChatFinishReason.Stop, second.Value.FinishReason);
        Assert.Equal("Mock reply to: 21C and sunny", second.Value.Content[0].Text);
        using var sent = JsonDocument.Parse(_stack.Provider.Requests[1].Body);
        var result = sent.RootElement.GetProperty("messages")[2].GetProperty("content")[0].GetProperty("toolResult");
        Assert.Equal(call.Id, result.GetProperty("toolUseId").GetString());
    }

    [Fact]
    public async Task Streamed_tool_calls_come_back_as_openai_tool_call_deltas()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };
        var arguments = new StringBuilder();
        string? name = null;
        string? id = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("What is the weather in Lima?")], options))
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
        Assert.StartsWith("tooluse_mock_", id, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("What is the weather in Lima?", parsed.RootElement.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Embeddings_go_through_invoke_model()
    {
        var embeddings = _stack.OpenAiClient().GetEmbeddingClient(EmbeddingModel);

        var result = await embeddings.GenerateEmbeddingAsync("hello bedrock");

        Assert.Equal(MockProviderOptions.DefaultEmbeddingDimensions, result.Value.ToFloats().Length);
        var received = _stack.Provider.Requests.Single();
        Assert.Equal("/bedrock/model/amazon.titan-embed-text-v2:0/invoke", received.Path);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("hello bedrock", body.RootElement.GetProperty("inputText").GetString());
    }

    [Fact]
    public async Task A_throttling_exception_reaches_the_client_as_a_429_in_openai_format()
    {
        _stack.Provider.AddFault(new FaultRule { PathPrefix = "/bedrock/", StatusCode = 429 });
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(429, error.Status);
        using var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString());
        var openAiError = body.RootElement.GetProperty("error");
        Assert.Equal("rate_limit_error", openAiError.GetProperty("type").GetString());
        Assert.Equal("ThrottlingException", openAiError.GetProperty("code").GetString());
        Assert.Equal("Too many requests, please wait before trying again.", openAiError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_exception_inside_the_stream_ends_it_with_an_openai_error_event()
    {
        // The OpenAI .NET SDK skips error events, so read the stream as bytes.
        _stack.Provider.AddFault(new FaultRule { PathPrefix = "/bedrock/", StreamErrorAfterEvents = 2, ErrorMessage = "Model stream broke", Times = 1 });
        using var http = _stack.HttpClient();
        using var content = new StringContent($$"""{"model":"{{Model}}","stream":true,"messages":[{"role":"user","content":"Tell me a story"}]}""", Encoding.UTF8, "application/json");

        using var response = await http.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, events.Length);
        Assert.Contains("\"content\":\"Mock\"", events[1], StringComparison.Ordinal);
        Assert.Equal("""data: {"error":{"message":"Model stream broke","type":"server_error","param":null,"code":"modelStreamErrorException"}}""", events[2]);
    }

    private static ChatTool WeatherTool() =>
        ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
}

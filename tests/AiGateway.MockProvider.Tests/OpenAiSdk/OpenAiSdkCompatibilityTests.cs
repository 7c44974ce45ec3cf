using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace AiGateway.MockProvider.Tests.OpenAiSdk;

/// <summary>The official OpenAI .NET SDK reads every mock answer the way it reads OpenAI's.</summary>
public sealed class OpenAiSdkCompatibilityTests
{
    private const string ApiKey = "sk-mock-openai";

    private static OpenAIClientOptions ClientOptions(MockServerFixture mock, string prefix = "v1") => new()
    {
        Endpoint = mock.Server.GetUri(prefix),
        NetworkTimeout = MockServerFixture.Timeout,
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    };

    private static ChatClient Chat(MockServerFixture mock, string model = "gpt-4o-mini", string prefix = "v1") =>
        new(model, new ApiKeyCredential(ApiKey), ClientOptions(mock, prefix));

    [Theory]
    [InlineData("v1")]
    [InlineData("compat/v1")]
    public async Task Chat_completion_deserializes_with_text_usage_and_metadata(string prefix)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var client = Chat(mock, prefix: prefix);

        // Act
        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("Be brief"), new UserChatMessage("Hello there, how are you?")],
            cancellationToken: mock.Ct);

        // Assert
        Assert.Equal("chatcmpl-mock-1", completion.Id);
        Assert.Equal("gpt-4o-mini", completion.Model);
        Assert.Equal("fp_mock", completion.SystemFingerprint);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal("Mock reply to: Hello there, how are you?", Assert.Single(completion.Content).Text);
        Assert.Equal(15, completion.Usage.InputTokenCount);
        Assert.Equal(10, completion.Usage.OutputTokenCount);
        Assert.Equal(25, completion.Usage.TotalTokenCount);
        Assert.Equal(0, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(0, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
        Assert.True(completion.CreatedAt > DateTimeOffset.UnixEpoch);

        var recorded = Assert.Single(mock.Server.Requests);
        Assert.Equal($"/{prefix}/chat/completions", recorded.Path);
        Assert.Equal($"Bearer {ApiKey}", recorded.Header("Authorization"));
    }

    [Fact]
    public async Task Streaming_chat_yields_the_text_in_pieces_and_the_final_usage()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var client = Chat(mock);
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        var updates = 0;

        // Act
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Hello there friend")], cancellationToken: mock.Ct))
        {
            updates++;
            Assert.Equal("chatcmpl-mock-1", update.CompletionId);
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        // Assert
        Assert.Equal("Mock reply to: Hello there friend", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(8, usage.InputTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);
        Assert.True(updates >= 8);
        using var body = JsonDocument.Parse(mock.Server.Requests[0].BodyText);
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Tool_calls_deserialize_in_a_completion()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var client = Chat(mock, "gpt-4o");
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Current weather", BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}}}""")) },
        };

        // Act
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("What's the weather in Paris?")], options, mock.Ct);

        // Assert
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("call_mock_1", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        using var arguments = JsonDocument.Parse(call.FunctionArguments);
        Assert.Equal("Paris", arguments.RootElement.GetProperty("location").GetString());
    }

    [Fact]
    public async Task Tool_call_streams_reassemble_into_one_call()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var client = Chat(mock, "gpt-4o");
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather") } };
        string? id = null;
        string? name = null;
        var arguments = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;

        // Act
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("weather in New York?")], options, mock.Ct))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                Assert.Equal(0, call.Index);
                id ??= call.ToolCallId;
                name ??= call.FunctionName;
                if (call.FunctionArgumentsUpdate is { } fragment && !fragment.ToMemory().IsEmpty)
                {
                    arguments.Append(fragment.ToString());
                }
            }

            finish ??= update.FinishReason;
        }

        // Assert
        Assert.Equal("call_mock_1", id);
        Assert.Equal("get_weather", name);
        Assert.Equal("""{"location":"New York"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task Max_output_tokens_gives_a_length_finish()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        ChatCompletion completion = await Chat(mock).CompleteChatAsync(
            [new UserChatMessage("a long question")],
            new ChatCompletionOptions { MaxOutputTokenCount = 2 },
            mock.Ct);

        // Assert
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal("Mock rep", completion.Content[0].Text);
    }

    [Fact]
    public async Task A_rate_limit_fault_surfaces_as_a_429_client_result_exception_with_the_OpenAI_message()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(FaultRule.RateLimited(2));

        // Act
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat(mock).CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: mock.Ct));

        // Assert
        Assert.Equal(429, error.Status);
        Assert.Contains("Rate limit reached", error.Message);
        Assert.Equal("2", error.GetRawResponse()?.Headers.TryGetValue("retry-after", out var retryAfter) == true ? retryAfter : null);
    }

    [Fact]
    public async Task A_missing_api_key_surfaces_as_a_401()
    {
        // Arrange
        var options = new MockProviderOptions { RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>> { ["/v1"] = ["sk-other"] } };
        await using var mock = await MockServerFixture.StartAsync(options);

        // Act
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat(mock).CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: mock.Ct));

        // Assert
        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task Embeddings_deserialize_from_the_base64_the_sdk_asks_for()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential(ApiKey), ClientOptions(mock));

        // Act
        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["first input", "second"], cancellationToken: mock.Ct);
        OpenAIEmbedding single = await client.GenerateEmbeddingAsync("first input", new EmbeddingGenerationOptions { Dimensions = 16 }, mock.Ct);

        // Assert
        Assert.Equal(2, embeddings.Count);
        Assert.Equal([0, 1], embeddings.Select(e => e.Index));
        Assert.Equal(8, embeddings[0].ToFloats().Length);
        Assert.Equal(5, embeddings.Usage.InputTokenCount);
        Assert.Equal(16, single.ToFloats().Length);
        var norm = Math.Sqrt(embeddings[0].ToFloats().ToArray().Sum(v => (double)v * v));
        Assert.InRange(norm, 0.999, 1.001);
        Assert.Contains("\"encoding_format\":\"base64\"", mock.Server.Requests[0].BodyText);
    }

    [Fact]
    public async Task Models_list_and_get_deserialize()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var client = new OpenAIModelClient(new ApiKeyCredential(ApiKey), ClientOptions(mock));

        // Act
        OpenAIModelCollection models = await client.GetModelsAsync(mock.Ct);
        OpenAIModel model = await client.GetModelAsync("llama-3.1-8b-instruct", mock.Ct);

        // Assert
        Assert.Equal(MockProviderOptions.DefaultModels, models.Select(m => m.Id));
        Assert.Equal("llama-3.1-8b-instruct", model.Id);
        Assert.Equal("mock", model.OwnedBy);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), model.CreatedAt);
    }
}

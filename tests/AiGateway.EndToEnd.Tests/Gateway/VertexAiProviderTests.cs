using System.Text;
using AiGateway.MockProvider;
using AiGateway.MockProvider.Identity;
using AiGateway.TestKit;
using Anthropic.Models.Messages;
using OpenAI.Chat;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>
/// Gemini on Vertex AI through the gateway: a service-account key is exchanged for OAuth tokens at the mock's
/// Google token endpoint (signed JWT assertion), and the Vertex paths accept only those tokens. Reached with
/// the official OpenAI SDK and, through the Messages ingress, the official Anthropic SDK.
/// </summary>
public sealed class VertexAiProviderTests : IAsyncLifetime
{
    private const string Model = "gemini-2.5-pro";
    private const string Email = "gateway@e2e-project.iam.gserviceaccount.com";
    private const string ChatPath = "/vertex/v1/projects/e2e-project/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent";
    private readonly MockServiceAccountKey _key = MockServiceAccountKey.Generate(Email);
    private readonly string _keyFile = Path.Combine(Directory.CreateTempSubdirectory("aigw-vertex-").FullName, "sa.json");
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync(
        FixtureFiles.InRepository("tests/AiGateway.EndToEnd.Tests/Fixtures/vertex.gateway.yaml"),
        new MockProviderOptions
        {
            GoogleServiceAccounts = [_key.Account],
            BearerTokenPrefixes = ["/vertex/"],
        },
        mock =>
        {
            File.WriteAllText(_keyFile, _key.KeyFileJson(new Uri($"http://127.0.0.1:{mock.Port}/token"), "e2e-project"));
            return new Dictionary<string, string> { ["VERTEX_CREDENTIALS_FILE"] = _keyFile };
        });

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        await _stack.DisposeAsync();
        _key.Dispose();
        File.Delete(_keyFile);
    }

    [Fact]
    public async Task Chat_reaches_vertex_with_the_service_accounts_oauth_token()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);

        var result = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello Vertex")]);

        Assert.Equal("Mock reply to: Hello Vertex", result.Value.Content[0].Text);
        Assert.Equal("vertex", result.GetRawResponse().Headers.TryGetValue("x-provider-used", out var used) ? used : null);
        var token = Assert.Single(_stack.Provider.IssuedTokens.Snapshot());
        Assert.Equal((IssuedTokens.Google, Email), (token.Issuer, token.Subject));
        var received = Assert.Single(_stack.Provider.Requests, r => r.Path.Contains(":generateContent", StringComparison.Ordinal));
        Assert.Equal(ChatPath, received.Path);
        Assert.Equal("Bearer " + token.Value, received.Header("authorization"));
        Assert.Null(received.Header("x-goog-api-key"));
    }

    [Fact]
    public async Task Streaming_chat_arrives_as_openai_chunks_with_usage()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me a story")], new ChatCompletionOptions()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Equal("Mock reply to: Tell me a story", text.ToString());
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        Assert.Contains(_stack.Provider.Requests, r => r.Path.Contains(":streamGenerateContent?alt=sse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tool_call_comes_back_as_an_openai_tool_call()
    {
        var chat = _stack.OpenAiClient().GetChatClient(Model);
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}}}""")) },
        };

        var result = await chat.CompleteChatAsync([new UserChatMessage("What is the weather in Rome?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, result.Value.FinishReason);
        Assert.Equal("get_weather", Assert.Single(result.Value.ToolCalls).FunctionName);
    }

    [Fact]
    public async Task An_anthropic_client_reaches_vertex_through_the_messages_ingress()
    {
        using var client = _stack.AnthropicClient();

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = Model,
            MaxTokens = 64,
            Messages = [new UserMessageParam("Hello from Claude's SDK")],
        });

        Assert.Equal("Mock reply to: Hello from Claude's SDK", string.Concat(message.Content.Select(b => b.TryPickText(out var t) ? t.Text : string.Empty)));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Contains(_stack.Provider.Requests, r => r.Path == ChatPath);
    }
}

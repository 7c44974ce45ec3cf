using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>
/// The official OpenAI SDK's tool calling, plain and streamed, against every provider of the sample
/// gateway: each answers in its own format and the client sees OpenAI tool calls.
/// </summary>
public sealed class ToolCallsAcrossProvidersTests : IAsyncLifetime
{
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        await _stack.DisposeAsync();
    }

    public static TheoryData<string, string> Providers() => new()
    {
        { "gpt-4o", "openai" },
        { "llama-3.1-8b-instruct", "local-vllm" },
        { "gpt-4o-mini", "azure" },
        { "claude-sonnet-4-5", "anthropic" },
        { "anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock" },
        { "gemini-2.5-flash", "gemini" },
        { "ibm/granite-3-8b-instruct", "watsonx" },
    };

    private static ChatCompletionOptions WeatherTool() => new()
    {
        Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather by city", BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""")) },
    };

    private ChatClient Chat(string model, string provider) =>
        new(model, new ApiKeyCredential(GatewayStack.GatewayKey), new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri(_stack.BaseAddress, "/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
            Transport = new HttpClientPipelineTransport(new HttpClient(new PreferProvider(provider))),
        });

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_tool_call_and_its_result_round_trip(string model, string provider)
    {
        var chat = Chat(model, provider);
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Paris?")];

        var call = await chat.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal(provider, call.GetRawResponse().Headers.TryGetValue("x-provider-used", out var used) ? used : null);
        Assert.Equal(ChatFinishReason.ToolCalls, call.Value.FinishReason);
        var toolCall = Assert.Single(call.Value.ToolCalls);
        Assert.Equal("get_weather", toolCall.FunctionName);
        using (var arguments = JsonDocument.Parse(toolCall.FunctionArguments))
        {
            // Each mock fills the arguments its own way; they must arrive as one JSON object.
            Assert.Equal(JsonValueKind.Object, arguments.RootElement.ValueKind);
            Assert.NotEmpty(arguments.RootElement.EnumerateObject());
        }

        messages.Add(new AssistantChatMessage(call.Value));
        messages.Add(new ToolChatMessage(toolCall.Id, """{"temperature_c":18}"""));
        var answer = await chat.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal(ChatFinishReason.Stop, answer.Value.FinishReason);
        Assert.False(string.IsNullOrEmpty(answer.Value.Content[0].Text));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_streamed_tool_call_arrives_as_argument_deltas(string model, string provider)
    {
        var chat = Chat(model, provider);
        var arguments = new StringBuilder();
        string? name = null;
        string? id = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("What is the weather in Oslo?")], WeatherTool()))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                Assert.Equal(0, part.Index);
                id ??= part.ToolCallId;
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("get_weather", name);
        Assert.False(string.IsNullOrEmpty(id));
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        Assert.NotEmpty(parsed.RootElement.EnumerateObject());
    }

    /// <summary>Adds the prefer-provider header so each case reaches the provider it names.</summary>
    private sealed class PreferProvider(string provider) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("x-ai-gateway-prefer-provider", provider);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

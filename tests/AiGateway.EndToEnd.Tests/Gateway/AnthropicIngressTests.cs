using System.Net;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider;
using Anthropic.Exceptions;
using Anthropic.Models;
using Anthropic.Models.Messages;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>
/// The official Anthropic SDK against the Messages ingress: straight through to the Anthropic provider,
/// translated through the OpenAI format to the others, errors in Anthropic's format.
/// </summary>
public sealed class AnthropicIngressTests : IAsyncLifetime
{
    private const string Claude = "claude-sonnet-4-5";
    private const string Gpt = "gpt-4o";
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task A_message_to_a_claude_model_goes_straight_through_to_anthropic()
    {
        using var client = _stack.AnthropicClient("/anthropic");

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = Claude,
            MaxTokens = 64,
            System = "Be brief.",
            Messages = [new UserMessageParam("Hello Claude")],
        });

        Assert.Equal("Mock reply to: Hello Claude", Text(message));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.StartsWith("msg_mock_", message.ID, StringComparison.Ordinal);
        Assert.True(message.Usage.InputTokens > 0);
        var received = _stack.Provider.Requests.Single();
        Assert.Equal("/anthropic/v1/messages", received.Path);
        Assert.Equal(GatewayStack.AnthropicKey, received.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", received.Headers["anthropic-version"]);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("Be brief.", body.RootElement.GetProperty("system").GetString());
        Assert.Equal(64, body.RootElement.GetProperty("max_tokens").GetInt32());
        var metadata = (await _stack.SingleRecordAsync()).Metadata("ai_gateway");
        Assert.Equal("anthropic", metadata["provider"]);
        Assert.Equal((double)(message.Usage.InputTokens + message.Usage.OutputTokens), metadata["total_tokens"]);
    }

    [Fact]
    public async Task A_streamed_message_to_a_claude_model_arrives_as_anthropics_own_events()
    {
        using var client = _stack.AnthropicClient();

        var (text, stop, usage, _) = await StreamAsync(client, new MessageCreateParams
        {
            Model = Claude,
            MaxTokens = 64,
            Messages = [new UserMessageParam("Tell me a story")],
        });

        Assert.Equal("Mock reply to: Tell me a story", text);
        Assert.Equal(StopReason.EndTurn, stop);
        Assert.True(usage > 0);
        Assert.Equal("/anthropic/v1/messages", _stack.Provider.Requests.Single().Path);
        var metadata = (await _stack.SingleRecordAsync()).Metadata("ai_gateway");
        Assert.Equal("anthropic", metadata["provider"]);
        Assert.True(Convert.ToDouble(metadata["output_tokens"], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task A_message_to_an_openai_model_is_translated_through_the_chat_format()
    {
        using var client = _stack.AnthropicClient();

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = Gpt,
            MaxTokens = 64,
            System = "Be brief.",
            Messages = [new UserMessageParam("Hello GPT")],
        });

        Assert.Equal("Mock reply to: Hello GPT", Text(message));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal(Gpt, message.Model.Raw());
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
        var received = _stack.Provider.Requests.Single();
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("Bearer " + GatewayStack.OpenAiKey, received.Headers["authorization"]);
        Assert.False(received.Headers.ContainsKey("x-api-key"));
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("system", body.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal(64, body.RootElement.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("openai", (await _stack.SingleRecordAsync()).Metadata("ai_gateway")["provider"]);
    }

    [Fact]
    public async Task A_streamed_message_to_an_openai_model_arrives_as_anthropic_events_with_usage()
    {
        using var client = _stack.AnthropicClient("/anthropic");

        var (text, stop, usage, types) = await StreamAsync(client, new MessageCreateParams
        {
            Model = Gpt,
            MaxTokens = 64,
            Messages = [new UserMessageParam("Tell me a story")],
        });

        Assert.Equal("Mock reply to: Tell me a story", text);
        Assert.Equal(StopReason.EndTurn, stop);
        Assert.Equal("message_start", types[0]);
        Assert.Equal(["message_delta", "message_stop"], types[^2..]);
        var metadata = (await _stack.SingleRecordAsync()).Metadata("ai_gateway");
        Assert.Equal((double)usage, metadata["output_tokens"]);
        using var body = JsonDocument.Parse(_stack.Provider.Requests.Single().Body);
        Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task Tools_round_trip_through_an_openai_provider()
    {
        using var client = _stack.AnthropicClient();
        var tools = new List<ToolUnion> { WeatherTool() };
        var question = new UserMessageParam("What is the weather in Tokyo?");

        var call = await client.Messages.Create(new MessageCreateParams { Model = Gpt, MaxTokens = 256, Tools = tools, Messages = [question] });

        Assert.Equal(StopReason.ToolUse, call.StopReason!.Value());
        var toolUse = call.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).Single(t => t is not null)!;
        Assert.Equal("get_weather", toolUse.Name);
        Assert.Equal("Tokyo", toolUse.Input["location"].GetString());

        var answer = await client.Messages.Create(new MessageCreateParams
        {
            Model = Gpt,
            MaxTokens = 256,
            Tools = tools,
            Messages =
            [
                question,
                new AssistantMessageParam(new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam(toolUse.ID) { Content = "Sunny, 22 degrees" } }),
            ],
        });

        Assert.Equal(StopReason.EndTurn, answer.StopReason!.Value());
        Assert.False(string.IsNullOrEmpty(Text(answer)));
        using var sent = JsonDocument.Parse(_stack.Provider.Requests[1].Body);
        var messages = sent.RootElement.GetProperty("messages");
        Assert.Equal(toolUse.ID, messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("Sunny, 22 degrees", messages[2].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Streamed_tool_use_from_an_openai_provider_arrives_as_input_json_deltas()
    {
        using var client = _stack.AnthropicClient();
        var arguments = new StringBuilder();
        string? name = null;
        StopReason? stop = null;

        await foreach (var item in client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = Gpt,
            MaxTokens = 256,
            Tools = [WeatherTool()],
            Messages = [new UserMessageParam("What is the weather in Tokyo?")],
        }))
        {
            if (item.TryPickContentBlockStart(out var start) && start.ContentBlock.TryPickToolUse(out var toolUse))
            {
                name = toolUse.Name;
            }
            else if (item.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickInputJson(out var json))
            {
                arguments.Append(json.PartialJson);
            }
            else if (item.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta.Delta.StopReason?.Value();
            }
        }

        Assert.Equal("get_weather", name);
        Assert.Equal(StopReason.ToolUse, stop);
        using var parsed = JsonDocument.Parse(arguments.ToString());
        Assert.Equal("Tokyo", parsed.RootElement.GetProperty("location").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_not_found_error()
    {
        using var client = _stack.AnthropicClient();

        var error = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = "claude-9-ultra",
            MaxTokens = 16,
            Messages = [new UserMessageParam("Hello")],
        }));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(ErrorType.NotFoundError, error.Type?.Value());
        Assert.Contains("claude-9-ultra", error.ApiMessage, StringComparison.Ordinal);
        Assert.Empty(_stack.Provider.Requests);
    }

    [Fact]
    public async Task A_rate_limited_openai_provider_is_a_rate_limit_error_with_retry_after()
    {
        _stack.Provider.AddFault(FaultRule.RateLimited(retryAfterSeconds: 7, "/v1/chat/completions"));
        using var client = _stack.AnthropicClient();

        var error = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = Gpt,
            MaxTokens = 16,
            Messages = [new UserMessageParam("Hello")],
        }));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(ErrorType.RateLimitError, error.Type?.Value());
        Assert.False(string.IsNullOrEmpty(error.ApiMessage));
        using var http = _stack.HttpClient();
        using var raw = await http.PostAsync("/v1/messages", Json("""{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hello"}]}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, raw.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), raw.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_rate_limited_anthropic_provider_passes_its_own_error_through()
    {
        _stack.Provider.AddFault(FaultRule.RateLimited(retryAfterSeconds: 3, "/anthropic/"));
        using var client = _stack.AnthropicClient();

        var error = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = Claude,
            MaxTokens = 16,
            Messages = [new UserMessageParam("Hello")],
        }));

        Assert.Equal(ErrorType.RateLimitError, error.Type?.Value());
        Assert.StartsWith("req_mock_", error.RequestID, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""", 400, "invalid_request_error")]
    [InlineData("""{"model":"gpt-4o","max_tokens":16,"messages":[""", 400, "invalid_request_error")]
    [InlineData("""{"model":"gpt-4o","max_tokens":16,"top_k":3,"messages":[{"role":"user","content":"Hi"}]}""", 400, "invalid_request_error")]
    public async Task Bad_messages_bodies_get_anthropic_errors(string body, int status, string type)
    {
        using var http = _stack.HttpClient();

        using var response = await http.PostAsync("/v1/messages", Json(body));

        await AssertAnthropicErrorAsync(response, status, type);
        Assert.Empty(_stack.Provider.Requests);
    }

    [Fact]
    public async Task A_messages_body_over_envoys_buffer_limit_gets_an_anthropic_413()
    {
        using var http = _stack.HttpClient();
        var huge = "{\"model\":\"gpt-4o\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 9 * 1024 * 1024) + "\"}]}";

        using var response = await http.PostAsync("/anthropic/v1/messages", Json(huge));

        await AssertAnthropicErrorAsync(response, 413, "request_too_large");
    }

    private static Tool WeatherTool() => new()
    {
        Name = "get_weather",
        Description = "Weather by city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["location"] = JsonDocument.Parse("""{"type":"string"}""").RootElement.Clone() },
            Required = ["location"],
        },
    };

    [Theory]
    [InlineData("anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock", "/converse")]
    [InlineData("gemini-2.5-flash", "gemini", ":generateContent")]
    [InlineData("ibm/granite-3-8b-instruct", "watsonx", "/ml/v1/text/chat?")]
    [InlineData("llama-3.1-8b-instruct", "local-vllm", "/compat/v1/chat/completions")]
    public async Task A_message_reaches_every_provider_type_through_the_openai_format(string model, string provider, string pathPart)
    {
        using var client = _stack.AnthropicClient();

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 64,
            Messages = [new UserMessageParam("Hello " + provider)],
        });

        Assert.Equal("Mock reply to: Hello " + provider, Text(message));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Contains(_stack.Provider.Requests, r => r.Path.Contains(pathPart, StringComparison.Ordinal));
        Assert.Equal(provider, (await _stack.SingleRecordAsync()).Metadata("ai_gateway")["provider"]);
    }

    [Theory]
    [InlineData("anthropic.claude-3-5-haiku-20241022-v1:0")]
    [InlineData("gemini-2.5-flash")]
    [InlineData("ibm/granite-3-8b-instruct")]
    public async Task A_streamed_message_from_any_provider_type_arrives_as_anthropic_events(string model)
    {
        using var client = _stack.AnthropicClient();

        var (text, stop, usage, types) = await StreamAsync(client, new MessageCreateParams
        {
            Model = model,
            MaxTokens = 64,
            Messages = [new UserMessageParam("Tell me a story")],
        });

        Assert.Equal("Mock reply to: Tell me a story", text);
        Assert.Equal(StopReason.EndTurn, stop);
        Assert.True(usage > 0);
        Assert.Equal("message_start", types[0]);
        Assert.Equal("message_stop", types[^1]);
    }

    private static async Task<(string Text, StopReason? Stop, long OutputTokens, List<string> Types)> StreamAsync(Anthropic.AnthropicClient client, MessageCreateParams parameters)
    {
        var text = new StringBuilder();
        StopReason? stop = null;
        long output = 0;
        var types = new List<string>();
        await foreach (var item in client.Messages.CreateStreaming(parameters))
        {
            types.Add(item.Type.Raw());
            if (item.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var piece))
            {
                text.Append(piece.Text);
            }
            else if (item.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta.Delta.StopReason?.Value();
                output = messageDelta.Usage.OutputTokens;
            }
        }

        return (text.ToString(), stop, output, types);
    }

    private static string Text(Message message) =>
        string.Concat(message.Content.Select(b => b.TryPickText(out var text) ? text.Text : string.Empty));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task AssertAnthropicErrorAsync(HttpResponseMessage response, int status, string type)
    {
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(type, json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }
}

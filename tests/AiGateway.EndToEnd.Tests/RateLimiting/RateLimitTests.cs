using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using AiGateway.MockProvider;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using OpenAI.Chat;

namespace AiGateway.EndToEnd.Tests.RateLimiting;

/// <summary>
/// gateway.yaml's <c>rate_limiting</c> end to end: the rendered Envoy rate-limit filter in the harness, our real extproc
/// charging the tokens the mock provider reports, and <c>aigw serve ratelimit</c> with the rendered config.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    // 60 s windows start on multiples of 60 s since the epoch: this is 30 s into one.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_010));
    private GatewayStack _stack = null!;

    // The mock counts ceil(chars / 4) tokens and echoes the prompt: this prompt costs about 300 tokens a request.
    private static readonly string Prompt = "Count these tokens please. " + new string('x', 570);

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync(
        FixtureFiles.InRepository("tests/AiGateway.EndToEnd.Tests/Fixtures/ratelimit.gateway.yaml"),
        new MockProviderOptions { RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>> { ["/v1/"] = [GatewayStack.OpenAiKey] } },
        _ => new Dictionary<string, string> { ["OPENAI_API_KEY"] = GatewayStack.OpenAiKey },
        rateLimitTime: _time);

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task A_user_is_admitted_until_the_charged_tokens_pass_the_quota_then_gets_429_until_the_next_window()
    {
        var alice = Chat(("x-user-id", "alice"));
        var charged = 0;
        var admitted = 0;

        // Arrange: admitted while the tokens charged so far are at most 1,000 (the check adds nothing).
        while (charged <= 1000)
        {
            var answer = await alice.CompleteChatAsync([new UserChatMessage(Prompt)]);
            charged += answer.Value.Usage.TotalTokenCount;
            admitted++;
            await _stack.Envoy.WaitForRequestsAsync(admitted, Timeout());
            var remaining = Header(answer.GetRawResponse(), "x-ratelimit-remaining");
            Assert.Equal(Math.Max(0, 1000 - (charged - answer.Value.Usage.TotalTokenCount)).ToString(System.Globalization.CultureInfo.InvariantCulture), remaining);
        }

        // Act
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => alice.CompleteChatAsync([new UserChatMessage(Prompt)]));
        var bob = await Chat(("x-user-id", "bob")).CompleteChatAsync([new UserChatMessage(Prompt)]);
        _time.Advance(TimeSpan.FromSeconds(60));
        var nextWindow = await alice.CompleteChatAsync([new UserChatMessage(Prompt)]);

        // Assert
        Assert.InRange(admitted, 2, 5);
        Assert.Equal(429, refused.Status);
        var response = refused.GetRawResponse()!;
        Assert.Equal("true", Header(response, "x-envoy-ratelimited"));
        Assert.Equal("0", Header(response, "x-ratelimit-remaining"));
        Assert.Equal("30", Header(response, "x-ratelimit-reset"));
        Assert.Equal("1000, 1000;w=60;name=\"tokens-per-user\"", Header(response, "x-ratelimit-limit"));
        AssertOpenAiRateLimitError(response.Content.ToString());
        Assert.Equal(admitted + 2, _stack.Provider.Requests.Count);
        Assert.StartsWith("Mock reply to: Count these tokens", bob.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("Mock reply to: Count these tokens", nextWindow.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal("1000", Header(nextWindow.GetRawResponse(), "x-ratelimit-remaining"));
    }

    [Fact]
    public async Task The_request_after_a_teams_last_allowed_one_gets_an_openai_429_that_names_the_limit()
    {
        var team = Chat(("x-team-id", "research"));
        for (var i = 0; i < 3; i++)
        {
            var answer = await team.CompleteChatAsync([new UserChatMessage("Hello")]);
            Assert.Equal((2 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(answer.GetRawResponse(), "x-ratelimit-remaining"));
        }

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => team.CompleteChatAsync([new UserChatMessage("Hello")]));
        var otherTeam = await Chat(("x-team-id", "sales")).CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.Equal(429, refused.Status);
        var response = refused.GetRawResponse()!;
        Assert.Equal("3, 3;w=60;name=\"requests-per-team\"", Header(response, "x-ratelimit-limit"));
        Assert.Equal("application/json", Header(response, "content-type"));
        AssertOpenAiRateLimitError(response.Content.ToString());
        Assert.Equal("Mock reply to: Hello", otherTeam.Value.Content[0].Text);
        Assert.Equal(4, _stack.Provider.Requests.Count);
    }

    [Fact]
    public async Task Anthropic_clients_get_the_gateways_429_in_anthropics_error_format()
    {
        using var http = _stack.HttpClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent("""{"model":"gpt-4o-mini","max_tokens":16,"messages":[{"role":"user","content":"Hello"}]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-team-id", "design");
            last = await http.SendAsync(request);
        }

        using var refused = last!;
        using var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("Rate limit exceeded: the gateway's rate limits", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("0", refused.Headers.GetValues("x-ratelimit-remaining").Single());
    }

    [Fact]
    public async Task Requests_without_the_limits_header_are_not_counted()
    {
        var anonymous = Chat();

        for (var i = 0; i < 5; i++)
        {
            var answer = await anonymous.CompleteChatAsync([new UserChatMessage("Hello")]);
            Assert.False(answer.GetRawResponse().Headers.TryGetValue("x-ratelimit-remaining", out _));
        }

        Assert.Equal(5, _stack.Provider.Requests.Count);
    }

    private static void AssertOpenAiRateLimitError(string body)
    {
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.StartsWith("Rate limit exceeded: the gateway's rate limits", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private ChatClient Chat(params (string Name, string Value)[] headers)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(_stack.BaseAddress, "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        };
        options.AddPolicy(new HeadersPolicy(headers), PipelinePosition.PerCall);
        return new OpenAIClient(new ApiKeyCredential(GatewayStack.GatewayKey), options).GetChatClient("gpt-4o-mini");
    }

    private static string? Header(PipelineResponse response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    /// <summary>Adds the caller's identity headers, as a client behind an authenticating proxy would send them.</summary>
    private sealed class HeadersPolicy((string Name, string Value)[] headers) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Add(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Add(message);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }

        private void Add(PipelineMessage message)
        {
            foreach (var (name, value) in headers)
            {
                message.Request.Headers.Set(name, value);
            }
        }
    }
}

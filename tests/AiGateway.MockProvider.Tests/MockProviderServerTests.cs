using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests;

public sealed class MockProviderServerTests
{
    private const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task Starts_on_a_loopback_ephemeral_port()
    {
        // Act
        await using var first = await MockProviderServer.StartAsync(new MockProviderOptions());
        await using var second = await MockProviderServer.StartAsync(new MockProviderOptions());

        // Assert
        Assert.Equal("127.0.0.1", first.BaseAddress.Host);
        Assert.Equal("/", first.BaseAddress.AbsolutePath);
        Assert.True(first.Port > 0);
        Assert.NotEqual(first.Port, second.Port);
        Assert.Equal(new Uri($"http://127.0.0.1:{first.Port}/v1/models"), first.GetUri("/v1/models"));
    }

    [Fact]
    public async Task Rejects_invalid_options_listing_every_problem()
    {
        // Arrange
        var options = new MockProviderOptions { Models = [], EmbeddingDimensions = 0, Faults = [FaultRule.Status(200)] };

        // Act
        var error = await Assert.ThrowsAsync<ArgumentException>(() => MockProviderServer.StartAsync(options));

        // Assert
        Assert.Contains("models", error.Message);
        Assert.Contains("embedding_dimensions", error.Message);
        Assert.Contains("faults[0].status", error.Message);
    }

    [Fact]
    public async Task Health_check_answers_ok_and_is_not_recorded()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.Client.GetAsync("/healthz", mock.Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(mock.Ct));
        Assert.Empty(mock.Server.Requests);
    }

    [Fact]
    public async Task Records_method_path_with_query_headers_body_and_timestamp()
    {
        // Arrange
        var now = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { TimeProvider = new FixedTimeProvider(now) });

        // Act
        using var response = await mock.PostJsonAsync("/compat/v1/chat/completions?api-version=2024", Chat, ("X-Tenant-Id", "acme"), ("Authorization", "Bearer sk-1"));

        // Assert
        var recorded = Assert.Single(mock.Server.Requests);
        Assert.Equal("POST", recorded.Method);
        Assert.Equal("/compat/v1/chat/completions?api-version=2024", recorded.Path);
        Assert.Equal("acme", recorded.Header("x-tenant-id"));
        Assert.Equal("acme", recorded.Headers["X-TENANT-ID"]);
        Assert.Equal("Bearer sk-1", recorded.Header("authorization"));
        Assert.StartsWith("application/json", recorded.Header("content-type"));
        Assert.Null(recorded.Header("x-absent"));
        Assert.Equal(Chat, recorded.BodyText);
        Assert.Equal(Encoding.UTF8.GetBytes(Chat), recorded.Body.ToArray());
        Assert.Equal(now, recorded.Timestamp);
    }

    [Fact]
    public async Task Records_concurrent_requests_without_losing_any_and_clear_forgets_them()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => mock.PostJsonAsync("/v1/chat/completions", Chat)));
        var recordedCount = mock.Server.Requests.Count;
        mock.Server.Clear();

        // Assert
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(20, recordedCount);
        Assert.Empty(mock.Server.Requests);
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task A_rate_limit_fault_answers_429_with_retry_after_rate_limit_headers_and_an_OpenAI_error()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(FaultRule.RateLimited(retryAfterSeconds: 7, "/v1/chat/completions"));

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("0", response.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal("7s", response.Headers.GetValues("x-ratelimit-reset-requests").Single());
        Assert.Equal("10000", response.Headers.GetValues("x-ratelimit-limit-requests").Single());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("requests", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(500, "server_error")]
    [InlineData(503, "server_error")]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "invalid_request_error")]
    public async Task A_status_fault_answers_that_status_with_an_OpenAI_error_body(int status, string type)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(FaultRule.Status(status));

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(type, json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_status_fault_on_a_streaming_request_answers_json_before_any_stream()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync(
            "/v1/chat/completions",
            """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""",
            (MockHeaders.Status, "503"));

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_fault_with_times_applies_that_many_times_then_answers_normally()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(FaultRule.Status(503, "/v1/chat/completions", times: 2));

        // Act
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat);
            statuses.Add(response.StatusCode);
        }

        // Assert
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
        Assert.Empty(mock.Server.Faults);
        Assert.Equal(3, mock.Server.Requests.Count);
    }

    [Fact]
    public async Task A_fault_with_a_model_hits_only_requests_for_that_model()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(new FaultRule { Model = "gpt-4o", StatusCode = 500 });

        // Act
        using var other = await mock.PostJsonAsync("/v1/chat/completions", Chat);
        using var hit = await mock.PostJsonAsync("/v1/chat/completions", Chat.Replace("gpt-4o-mini", "gpt-4o", StringComparison.Ordinal));

        // Assert
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, hit.StatusCode);
    }

    [Fact]
    public async Task A_fault_with_a_path_prefix_leaves_other_prefixes_alone()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(FaultRule.Status(500, "/v1/"));

        // Act
        using var hit = await mock.PostJsonAsync("/v1/chat/completions", Chat);
        using var other = await mock.PostJsonAsync("/compat/v1/chat/completions", Chat);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, hit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Faults_from_the_options_apply_from_the_start_and_clear_faults_removes_them()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { Faults = [FaultRule.Status(500)] });

        // Act
        using var before = await mock.PostJsonAsync("/v1/chat/completions", Chat);
        mock.Server.ClearFaults();
        using var after = await mock.PostJsonAsync("/v1/chat/completions", Chat);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Status_and_retry_after_headers_select_a_fault_for_one_request()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var faulted = await mock.PostJsonAsync("/v1/chat/completions", Chat, (MockHeaders.Status, "429"), (MockHeaders.RetryAfter, "2"));
        using var normal = await mock.PostJsonAsync("/v1/chat/completions", Chat);

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, faulted.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), faulted.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
    }

    [Fact]
    public async Task Retry_after_is_sent_with_a_503_when_asked()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat, (MockHeaders.Status, "503"), (MockHeaders.RetryAfter, "3"));

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_invalid_fault_header_gets_a_400_naming_the_header()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat, (MockHeaders.Status, "soon"));
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(MockHeaders.Status, body);
    }

    [Fact]
    public async Task A_delay_header_holds_the_answer_back()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var clock = Stopwatch.StartNew();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat, (MockHeaders.DelayMs, "300"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_delay_rule_holds_the_answer_back_and_combines_with_a_status()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(new FaultRule { Delay = TimeSpan.FromMilliseconds(250), StatusCode = 504, Times = 1 });
        var clock = Stopwatch.StartNew();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat);

        // Assert
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(240), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Reset_before_response_aborts_the_connection_without_an_answer_and_the_server_keeps_serving()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(FaultRule.ResetBefore("/v1/chat/completions", times: 1));

        // Act
        var failure = await Record.ExceptionAsync(() => mock.PostJsonAsync("/v1/chat/completions", Chat));
        using var next = await mock.PostJsonAsync("/v1/chat/completions", Chat);

        // Assert
        Assert.IsType<HttpRequestException>(failure);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, mock.Server.Requests.Count);
    }

    [Fact]
    public async Task The_reset_before_response_header_aborts_one_request()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var failure = await Record.ExceptionAsync(() => mock.PostJsonAsync("/v1/embeddings", """{"model":"e","input":"x"}""", (MockHeaders.ResetBeforeResponse, "true")));

        // Assert
        Assert.IsType<HttpRequestException>(failure);
    }

    [Fact]
    public async Task Reset_after_events_on_a_json_answer_cuts_the_body_in_half_and_aborts()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.SendAsync(HttpMethod.Post, "/v1/chat/completions", Chat, HttpCompletionOption.ResponseHeadersRead, (MockHeaders.ResetAfterEvents, "1"));
        var failure = await Record.ExceptionAsync(() => response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Content.Headers.ContentLength);
        Assert.True(failure is IOException || failure?.InnerException is IOException, $"got {failure}");
    }

    [Fact]
    public async Task Adding_an_invalid_fault_rule_throws()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var error = Assert.Throws<ArgumentException>(() => mock.Server.AddFault(new FaultRule { PathPrefix = "v1", Times = 0 }));

        // Assert
        Assert.Contains("path_prefix", error.Message);
        Assert.Contains("times", error.Message);
        Assert.Empty(mock.Server.Faults);
    }

    [Fact]
    public async Task Disposing_during_a_long_delay_finishes_quickly()
    {
        // Arrange
        var mock = await MockServerFixture.StartAsync();
        var pending = mock.PostJsonAsync("/v1/chat/completions", Chat, (MockHeaders.DelayMs, "60000"));
        await WaitUntilAsync(() => mock.Server.Requests.Count == 1, mock.Ct);
        var clock = Stopwatch.StartNew();

        // Act
        await mock.Server.DisposeAsync();

        // Assert
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {clock.Elapsed}");
        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
        await mock.DisposeAsync();
    }

    [Fact]
    public async Task Required_api_keys_reject_requests_without_a_bearer_key()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(ApiKeyOptions());

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = json.RootElement.GetProperty("error");
        Assert.StartsWith("You didn't provide an API key", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Single(mock.Server.Requests);
    }

    [Fact]
    public async Task Required_api_keys_reject_a_wrong_key_with_invalid_api_key()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(ApiKeyOptions());

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Chat, ("Authorization", "Bearer sk-wrong-key-123"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.DoesNotContain("sk-wrong-key-123", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/v1/chat/completions", "Bearer sk-openai")]
    [InlineData("/v1/chat/completions", "bearer sk-openai-2")]
    [InlineData("/compat/v1/chat/completions", "Bearer sk-vllm")]
    [InlineData("/other/v1/chat/completions", null)]
    public async Task Required_api_keys_accept_a_listed_key_for_the_longest_matching_prefix(string path, string? authorization)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(ApiKeyOptions());
        (string, string)[] headers = authorization is null ? [] : [("Authorization", authorization)];

        // Act
        using var response = await mock.PostJsonAsync(path, Chat, headers);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_for_one_prefix_does_not_open_another()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(ApiKeyOptions());

        // Act
        using var response = await mock.PostJsonAsync("/compat/v1/chat/completions", Chat, ("Authorization", "Bearer sk-openai"));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static MockProviderOptions ApiKeyOptions() => new()
    {
        RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>>
        {
            ["/v1"] = ["sk-openai", "sk-openai-2"],
            ["/compat/v1"] = ["sk-vllm"],
        },
    };

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(10, ct);
        }
    }
}

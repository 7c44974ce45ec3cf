using System.Text.Json;
using AiGateway.TestKit;
using Envoy.Service.ExtProc.V3;
using static AiGateway.TestKit.EnvoyMessages;

namespace AiGateway.ExtProc.Tests.Processing;

/// <summary>The upstream-level stream: once per attempt, translating the kept original body.</summary>
public sealed class UpstreamProcessorTests : IAsyncLifetime
{
    private ExtProcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ExtProcTestServer.StartAsync(FixtureFiles.Path("gateway.yaml"));

    public async Task DisposeAsync()
    {
        Assert.DoesNotContain("sk-openai-secret", _server.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-vllm-secret", _server.Logs.AllText, StringComparison.Ordinal);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Replaces_path_host_credentials_and_body_for_the_attempts_provider()
    {
        var (router, requestId) = await RouteAsync("""{"model":"gpt-4o-mini","prefer_provider":"vllm","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        using var _ = router;
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("vllm",
            (":method", "POST"), (":path", "/v1/chat/completions"), (":authority", "gateway.test"),
            ("authorization", "Bearer gateway-key-of-the-client"), ("x-ai-gateway-request-id", requestId),
            ("x-ai-gateway-model", "gpt-4o-mini"), ("x-ai-gateway-provider", "vllm"), ("content-length", "99")));

        var common = reply.RequestHeaders.Response;
        Assert.Equal(CommonResponse.Types.ResponseStatus.ContinueAndReplace, common.Status);
        Assert.Equal("/compat/v1/chat/completions", SetValue(common.HeaderMutation, ":path"));
        Assert.Equal("vllm.test:8000", SetValue(common.HeaderMutation, ":authority"));
        Assert.Equal("Bearer sk-vllm-secret", SetValue(common.HeaderMutation, "authorization"));
        Assert.Equal("identity", SetValue(common.HeaderMutation, "accept-encoding"));
        Assert.Contains("x-api-key", common.HeaderMutation.RemoveHeaders);
        Assert.Contains("x-ai-gateway-model", common.HeaderMutation.RemoveHeaders);
        Assert.Contains("x-ai-gateway-provider", common.HeaderMutation.RemoveHeaders);
        Assert.DoesNotContain("authorization", common.HeaderMutation.RemoveHeaders);

        var body = common.BodyMutation.Body.ToStringUtf8();
        Assert.Equal("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}],"stream_options":{"include_usage":true}}""", body);
        var metadata = reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields;
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), metadata["content_length"].NumberValue);
    }

    [Fact]
    public async Task A_fallback_attempt_starts_from_the_original_body_and_overwrites_the_previous_credentials()
    {
        var (router, requestId) = await RouteAsync("""{"model":"gpt-4o-mini","prefer_provider":"vllm","messages":[]}""");
        using var _ = router;
        ProcessingResponse first;
        using (var attempt1 = _server.Open(upstream: true))
        {
            first = await attempt1.SendAsync(UpstreamRequestHeaders("vllm", (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));
        }

        // Envoy hands attempt 2 the header map attempt 1 left behind.
        using var attempt2 = _server.Open(upstream: true);
        var second = await attempt2.SendAsync(UpstreamRequestHeaders("openai",
            (":path", "/compat/v1/chat/completions"), (":authority", "vllm.test:8000"), ("authorization", "Bearer sk-vllm-secret"), ("x-ai-gateway-request-id", requestId)));

        Assert.Equal("Bearer sk-vllm-secret", SetValue(first.RequestHeaders.Response.HeaderMutation, "authorization"));
        var common = second.RequestHeaders.Response;
        Assert.Equal("/v1/chat/completions", SetValue(common.HeaderMutation, ":path"));
        Assert.Equal("openai.test", SetValue(common.HeaderMutation, ":authority"));
        Assert.Equal("Bearer sk-openai-secret", SetValue(common.HeaderMutation, "authorization"));
        Assert.Equal("""{"model":"gpt-4o-mini","messages":[]}""", common.BodyMutation.Body.ToStringUtf8());
        Assert.Equal(2, second.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["attempts"].NumberValue);
    }

    [Fact]
    public async Task Ends_its_stream_with_ok_after_the_one_reply_envoy_needs()
    {
        var (router, requestId) = await RouteAsync("""{"model":"gpt-4o","messages":[]}""");
        using var _ = router;
        using var upstream = _server.Open(upstream: true);

        await upstream.SendAsync(UpstreamRequestHeaders("openai", (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));
        var status = await upstream.WaitForServerEndAsync();

        Assert.Equal(Grpc.Core.StatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task Is_recognised_by_its_attributes_when_the_grpc_header_is_missing()
    {
        var (router, requestId) = await RouteAsync("""{"model":"gpt-4o","messages":[]}""");
        using var _ = router;
        using var upstream = _server.Open(upstream: false);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("openai", (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));

        Assert.Equal(CommonResponse.Types.ResponseStatus.ContinueAndReplace, reply.RequestHeaders.Response.Status);
    }

    [Fact]
    public async Task Answers_a_parameter_the_attempts_provider_cannot_honour_with_a_400()
    {
        var (router, requestId) = await RouteAsync("""{"model":"claude-haiku-4-5","n":3,"messages":[{"role":"user","content":"x"}]}""");
        using var _ = router;
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("anthropic", (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));

        Assert.Equal(400, (int)reply.ImmediateResponse.Status.Code);
        using var json = JsonDocument.Parse(reply.ImmediateResponse.Body.ToStringUtf8());
        Assert.Equal("n", json.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Answers_an_unknown_request_id_with_a_500_openai_error()
    {
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("openai", (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", "0123")));

        Assert.Equal(500, (int)reply.ImmediateResponse.Status.Code);
        using var json = JsonDocument.Parse(reply.ImmediateResponse.Body.ToStringUtf8());
        Assert.Equal("exchange_not_found", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Answers_an_endpoint_of_an_unknown_provider_with_502()
    {
        var (router, requestId) = await RouteAsync("""{"model":"gpt-4o","messages":[]}""");
        using var _ = router;
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("vllm", (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));

        Assert.Equal(502, (int)reply.ImmediateResponse.Status.Code);
    }

    [Fact]
    public async Task Sends_a_messages_request_to_an_openai_provider_as_a_chat_request()
    {
        var (router, requestId) = await RouteAsync(_server, "/v1/messages", """{"model":"gpt-4o","max_tokens":32,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}""");
        using var _ = router;
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("openai",
            (":method", "POST"), (":path", "/v1/messages"), ("x-api-key", "gateway-key-of-the-client"), ("anthropic-version", "2023-06-01"), ("x-ai-gateway-request-id", requestId)));

        var common = reply.RequestHeaders.Response;
        Assert.Equal(CommonResponse.Types.ResponseStatus.ContinueAndReplace, common.Status);
        Assert.Equal("/v1/chat/completions", SetValue(common.HeaderMutation, ":path"));
        Assert.Equal("Bearer sk-openai-secret", SetValue(common.HeaderMutation, "authorization"));
        Assert.Contains("x-api-key", common.HeaderMutation.RemoveHeaders);
        Assert.Contains("anthropic-version", common.HeaderMutation.RemoveHeaders);
        Assert.Equal(
            """{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_completion_tokens":32}""",
            common.BodyMutation.Body.ToStringUtf8());
    }

    [Fact]
    public async Task Passes_a_messages_request_to_an_anthropic_provider_with_its_own_key_and_the_clients_beta_header()
    {
        const string Body = """{"model":"claude-haiku-4-5","max_tokens":32,"messages":[{"role":"user","content":"Hi"}]}""";
        var (router, requestId) = await RouteAsync(_server, "/anthropic/v1/messages", Body, ("anthropic-beta", "context-1m-2025-08-07"));
        using var _ = router;
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("anthropic",
            (":method", "POST"), (":path", "/anthropic/v1/messages"), ("x-api-key", "gateway-key-of-the-client"), ("anthropic-beta", "context-1m-2025-08-07"), ("x-ai-gateway-request-id", requestId)));

        var common = reply.RequestHeaders.Response;
        Assert.Equal("/v1/messages", SetValue(common.HeaderMutation, ":path"));
        Assert.Equal("sk-ant-secret", SetValue(common.HeaderMutation, "x-api-key"));
        Assert.Equal("2023-06-01", SetValue(common.HeaderMutation, "anthropic-version"));
        Assert.Equal("context-1m-2025-08-07", SetValue(common.HeaderMutation, "anthropic-beta"));
        Assert.Contains("authorization", common.HeaderMutation.RemoveHeaders);
        Assert.Equal(Body, common.BodyMutation.Body.ToStringUtf8());
    }

    [Fact]
    public async Task Answers_a_messages_parameter_the_attempts_provider_cannot_honour_with_an_anthropic_400()
    {
        var (router, requestId) = await RouteAsync(_server, "/v1/messages", """{"model":"gpt-4o","max_tokens":32,"top_k":5,"messages":[{"role":"user","content":"Hi"}]}""");
        using var _ = router;
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("openai", (":path", "/v1/messages"), ("x-ai-gateway-request-id", requestId)));

        AssertAnthropicError(reply, 400, "invalid_request_error");
        Assert.Contains("top_k", reply.ImmediateResponse.Body.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_an_unknown_request_id_on_the_messages_path_with_an_anthropic_500()
    {
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("openai", (":path", "/v1/messages"), ("x-ai-gateway-request-id", "0123")));

        AssertAnthropicError(reply, 500, "api_error");
    }

    [Fact]
    public async Task Answers_an_endpoint_of_an_unknown_provider_with_an_anthropic_502_for_messages_clients()
    {
        var (router, requestId) = await RouteAsync(_server, "/v1/messages", """{"model":"gpt-4o","max_tokens":32,"messages":[]}""");
        using var _ = router;
        using var upstream = _server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("vllm", (":path", "/v1/messages"), ("x-ai-gateway-request-id", requestId)));

        AssertAnthropicError(reply, 502, "api_error");
    }

    [Fact]
    public async Task Answers_unavailable_provider_credentials_with_an_anthropic_502_for_messages_clients()
    {
        await using var server = await ExtProcTestServer.StartAsync(FixtureFiles.Path("gateway-entra.yaml"));
        var (router, requestId) = await RouteAsync(server, "/v1/messages", """{"model":"gpt-4o","max_tokens":32,"messages":[{"role":"user","content":"Hi"}]}""");
        using var _ = router;
        using var upstream = server.Open(upstream: true);

        var reply = await upstream.SendAsync(UpstreamRequestHeaders("azure-entra", (":path", "/v1/messages"), ("x-ai-gateway-request-id", requestId)));

        AssertAnthropicError(reply, 502, "api_error");
        Assert.DoesNotContain("entra-test-secret", reply.ImmediateResponse.Body.ToStringUtf8(), StringComparison.Ordinal);
        Assert.DoesNotContain("entra-test-secret", server.Logs.AllText, StringComparison.Ordinal);
    }

    private static void AssertAnthropicError(ProcessingResponse reply, int status, string type)
    {
        var immediate = reply.ImmediateResponse;
        Assert.NotNull(immediate);
        Assert.Equal(status, (int)immediate.Status.Code);
        using var json = JsonDocument.Parse(immediate.Body.ToStringUtf8());
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(type, json.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    private Task<(EnvoyStream Router, string RequestId)> RouteAsync(string body) => RouteAsync(_server, "/v1/chat/completions", body);

    private static async Task<(EnvoyStream Router, string RequestId)> RouteAsync(ExtProcTestServer server, string path, string body, params (string Name, string Value)[] extra)
    {
        var router = server.Open();
        var headers = await router.SendAsync(RequestHeaders("POST", path, false, extra));
        await router.SendAsync(RequestBody(body));
        return (router, SetValue(headers.RequestHeaders.Response.HeaderMutation, "x-ai-gateway-request-id")!);
    }
}

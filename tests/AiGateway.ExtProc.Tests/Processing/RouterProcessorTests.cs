using System.Text;
using System.Text.Json;
using AiGateway.TestKit;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using static AiGateway.TestKit.EnvoyMessages;

namespace AiGateway.ExtProc.Tests.Processing;

/// <summary>The router-level stream, played message by message against the real server.</summary>
public sealed class RouterProcessorTests : IAsyncLifetime
{
    private const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}""";
    private ExtProcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ExtProcTestServer.StartAsync(FixtureFiles.Path("gateway.yaml"), configure: o => o.MaxRequestBodyBytes = 4096);

    public async Task DisposeAsync()
    {
        Assert.Empty(_server.Logs.Errors);
        Assert.DoesNotContain("sk-openai-secret", _server.Logs.AllText, StringComparison.Ordinal);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Adds_a_request_id_and_drops_client_sent_gateway_headers()
    {
        using var stream = _server.Open();

        var reply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions", false,
            ("x-ai-gateway-provider", "spoofed"), ("x-ai-gateway-request-id", "spoofed"), ("x-ai-gateway-user", "mallory")));

        var mutation = reply.RequestHeaders.Response.HeaderMutation;
        var id = SetValue(mutation, "x-ai-gateway-request-id");
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Contains("x-ai-gateway-provider", mutation.RemoveHeaders);
        Assert.Contains("x-ai-gateway-user", mutation.RemoveHeaders);
        Assert.DoesNotContain("x-ai-gateway-request-id", mutation.RemoveHeaders);
    }

    [Fact]
    public async Task Routes_by_model_to_the_highest_priority_supported_provider_and_clears_the_route_cache()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));

        var reply = await stream.SendAsync(RequestBody(Chat));

        var common = reply.RequestBody.Response;
        Assert.True(common.ClearRouteCache);
        Assert.Equal("gpt-4o-mini", SetValue(common.HeaderMutation, "x-ai-gateway-model"));
        Assert.Equal("openai", SetValue(common.HeaderMutation, "x-ai-gateway-provider"));
        Assert.Null(common.BodyMutation);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o-mini","prefer_provider":"vllm","messages":[]}""", null, "vllm")]
    [InlineData(Chat, "vllm", "vllm")]
    [InlineData("""{"model":"gpt-4o-mini","prefer_provider":"nobody","messages":[]}""", null, "openai")]
    [InlineData("""{"model":"gpt-4o","prefer_provider":"vllm","messages":[]}""", null, "openai")]
    public async Task Honours_prefer_provider_when_that_provider_serves_the_model(string body, string? header, string expected)
    {
        using var stream = _server.Open();
        (string, string)[] extra = header is null ? [] : [("x-ai-gateway-prefer-provider", header)];
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions", false, extra));

        var reply = await stream.SendAsync(RequestBody(body));

        Assert.Equal(expected, SetValue(reply.RequestBody.Response.HeaderMutation, "x-ai-gateway-provider"));
    }

    [Theory]
    [InlineData("{\"model\":", 400, "invalid_json")]
    [InlineData("{\"messages\":[]}", 400, "missing_model")]
    [InlineData("{\"model\":\"gpt-5-ultra\",\"messages\":[]}", 404, "model_not_found")]
    public async Task Answers_bad_bodies_with_openai_errors(string body, int status, string code)
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));

        var reply = await stream.SendAsync(RequestBody(body));

        AssertOpenAiError(reply, status, code);
    }

    [Fact]
    public async Task Answers_a_body_over_the_limit_with_413()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));

        var reply = await stream.SendAsync(RequestBody("{\"model\":\"gpt-4o-mini\",\"pad\":\"" + new string('x', 5000) + "\"}"));

        AssertOpenAiError(reply, 413, "request_too_large");
        Assert.Equal(0, reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["total_tokens"].NumberValue);
    }

    [Fact]
    public async Task Answers_a_bodiless_chat_request_with_400()
    {
        using var stream = _server.Open();

        var reply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions", endOfStream: true));

        AssertOpenAiError(reply, 400, "missing_body");
    }

    [Theory]
    [InlineData("POST", "/v1/completions", 404, "unknown_url")]
    [InlineData("GET", "/", 404, "unknown_url")]
    [InlineData("GET", "/v1/chat/completions", 405, "method_not_allowed")]
    [InlineData("GET", "/v1/models/gpt-5-ultra", 404, "model_not_found")]
    public async Task Answers_unsupported_paths_and_methods_with_openai_errors(string method, string path, int status, string code)
    {
        using var stream = _server.Open();

        var reply = await stream.SendAsync(RequestHeaders(method, path, endOfStream: true));

        AssertOpenAiError(reply, status, code);
    }

    [Fact]
    public async Task Lists_the_models_of_supported_providers_from_configuration()
    {
        using var stream = _server.Open();

        var reply = await stream.SendAsync(RequestHeaders("GET", "/v1/models", endOfStream: true));

        Assert.Equal(200, (int)reply.ImmediateResponse.Status.Code);
        using var json = JsonDocument.Parse(reply.ImmediateResponse.Body.ToStringUtf8());
        Assert.Equal("list", json.RootElement.GetProperty("object").GetString());
        Assert.Equal(
            ["claude-haiku-4-5", "gpt-4o", "gpt-4o-mini", "ibm/granite-3-8b-instruct", "text-embedding-3-small"],
            json.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Switches_an_event_stream_to_streamed_mode_and_names_the_provider()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        var routed = await stream.SendAsync(RequestBody("""{"model":"gpt-4o-mini","stream":true,"messages":[]}"""));
        await RunUpstreamAttemptAsync(SetValue(routed.RequestBody.Response.HeaderMutation, "x-ai-gateway-provider")!, headersReply);

        var reply = await stream.SendAsync(ResponseHeaders(200, "text/event-stream", false, ("content-length", "100")));

        Assert.Equal(ProcessingMode.Types.BodySendMode.Streamed, reply.ModeOverride.ResponseBodyMode);
        Assert.Equal(ProcessingMode.Types.BodySendMode.Buffered, reply.ModeOverride.RequestBodyMode);
        Assert.Contains("content-length", reply.ResponseHeaders.Response.HeaderMutation.RemoveHeaders);
        Assert.Equal("openai", SetValue(reply.ResponseHeaders.Response.HeaderMutation, "x-provider-used"));
    }

    [Fact]
    public async Task Hides_the_usage_chunk_and_writes_usage_metadata_at_the_end_of_the_stream()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o-mini","stream":true,"messages":[]}"""));
        await RunUpstreamAttemptAsync("openai", headersReply);
        await stream.SendAsync(ResponseHeaders(200, "text/event-stream"));

        var first = await stream.SendAsync(ResponseBody("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n", false));
        var last = await stream.SendAsync(ResponseBody("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1,\"total_tokens\":8,\"prompt_tokens_details\":{\"cached_tokens\":2}}}\n\ndata: [DONE]\n\n", true));

        Assert.Null(first.ResponseBody.Response.BodyMutation);
        Assert.Equal("data: [DONE]\n\n", last.ResponseBody.Response.BodyMutation.Body.ToStringUtf8());
        var metadata = last.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields;
        Assert.Equal("openai", metadata["provider"].StringValue);
        Assert.Equal("gpt-4o-mini", metadata["model"].StringValue);
        Assert.Equal(7, metadata["input_tokens"].NumberValue);
        Assert.Equal(1, metadata["output_tokens"].NumberValue);
        Assert.Equal(8, metadata["total_tokens"].NumberValue);
        Assert.Equal(2, metadata["cached_input_tokens"].NumberValue);

        // 5 uncached x $1 + 2 cached x $0.50 + 1 output x $2 per 1M tokens.
        Assert.Equal(8, metadata["cost_usd_micros"].NumberValue);

        // The headers left before the usage was known: the cost of a stream is in the metadata only.
        Assert.Null(SetValue(last.ResponseBody.Response.HeaderMutation, "x-ai-gateway-cost"));
        Assert.Null(first.DynamicMetadata);
    }

    [Fact]
    public async Task Rewrites_a_non_openai_provider_error_and_fixes_content_length()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody(Chat));
        await RunUpstreamAttemptAsync("openai", headersReply);

        var headers = await stream.SendAsync(ResponseHeaders(502, "text/html", false, ("content-length", "27")));
        var body = await stream.SendAsync(ResponseBody("<html>Bad gateway</html>\r\n", true));

        Assert.Null(headers.ModeOverride);
        var newBody = body.ResponseBody.Response.BodyMutation.Body.ToStringUtf8();
        Assert.Equal("""{"error":{"message":"The upstream returned HTTP 502.","type":"server_error","param":null,"code":"bad_gateway"}}""", newBody);
        Assert.Equal(Encoding.UTF8.GetByteCount(newBody).ToString(System.Globalization.CultureInfo.InvariantCulture), SetValue(body.ResponseBody.Response.HeaderMutation, "content-length"));
        Assert.Equal("application/json", SetValue(body.ResponseBody.Response.HeaderMutation, "content-type"));
    }

    [Fact]
    public async Task Turns_an_envoy_local_reply_into_openai_error_json()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));

        // Envoy's own 413 (body over its buffer limit) passes through the router-level filter (1.37+).
        var headers = await stream.SendAsync(ResponseHeaders(413, "text/plain", false, ("content-length", "17")));
        var body = await stream.SendAsync(ResponseBody("Payload Too Large", true));

        Assert.Null(SetValue(headers.ResponseHeaders.Response.HeaderMutation, "x-provider-used"));
        Assert.Equal(
            """{"error":{"message":"The upstream returned HTTP 413: Payload Too Large","type":"invalid_request_error","param":null,"code":"request_too_large"}}""",
            body.ResponseBody.Response.BodyMutation.Body.ToStringUtf8());
    }

    [Fact]
    public async Task Says_the_gateways_rate_limit_refused_a_request_envoys_rate_limit_filter_answered_with_429()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"""));

        // The rate-limit filter after this one answered OVER_LIMIT: a local reply without a body.
        var reply = await stream.SendAsync(ResponseHeaders(429, null, true, ("x-envoy-ratelimited", "true"), ("x-ratelimit-remaining", "0")));

        var response = reply.ResponseHeaders.Response;
        Assert.Equal(CommonResponse.Types.ResponseStatus.ContinueAndReplace, response.Status);
        Assert.Equal(
            """{"error":{"message":"Rate limit exceeded: the gateway's rate limits allow no more requests or tokens for this caller in the current window; the x-ratelimit-reset header says in how many seconds it resets.","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}""",
            response.BodyMutation.Body.ToStringUtf8());
        Assert.Equal("application/json", SetValue(response.HeaderMutation, "content-type"));
        Assert.Null(SetValue(response.HeaderMutation, "x-provider-used"));
    }

    [Fact]
    public async Task Keeps_the_upstream_wording_for_a_429_envoys_rate_limit_filter_did_not_send()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));

        var reply = await stream.SendAsync(ResponseHeaders(429, null, true));

        Assert.Contains("The upstream returned HTTP 429.", reply.ResponseHeaders.Response.BodyMutation.Body.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_usage_from_a_json_response_and_leaves_the_body_alone()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/embeddings"));
        await stream.SendAsync(RequestBody("""{"model":"text-embedding-3-small","input":"x"}"""));
        await RunUpstreamAttemptAsync("openai", headersReply);
        await stream.SendAsync(ResponseHeaders(200, "application/json"));

        var reply = await stream.SendAsync(ResponseBody("""{"object":"list","data":[],"usage":{"prompt_tokens":3,"total_tokens":3}}""", true));

        Assert.Null(reply.ResponseBody.Response.BodyMutation);
        Assert.Equal(3, reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["input_tokens"].NumberValue);
        Assert.Equal(Grpc.Core.StatusCode.OK, (await stream.WaitForServerEndAsync()).StatusCode);
    }

    [Fact]
    public async Task Gives_a_translated_json_answer_a_matching_content_length()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody("""{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}"""));
        await RunUpstreamAttemptAsync("anthropic", headersReply);
        await stream.SendAsync(ResponseHeaders(200, "application/json", false, ("content-length", "200")));

        var reply = await stream.SendAsync(ResponseBody("""{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}}""", true));

        var body = reply.ResponseBody.Response.BodyMutation.Body.ToStringUtf8();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Hello", json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture), SetValue(reply.ResponseBody.Response.HeaderMutation, "content-length"));
        Assert.Equal(5, reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["total_tokens"].NumberValue);
    }

    [Fact]
    public async Task Records_the_providers_rate_limit_signals_for_routing()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody(Chat));
        await RunUpstreamAttemptAsync("openai", headersReply);

        await stream.SendAsync(ResponseHeaders(429, "application/json", false, ("retry-after", "3"), ("x-ratelimit-remaining-requests", "0")));

        var board = (AiGateway.Core.Upstreams.ProviderRateLimitBoard)_server.Services.GetService(typeof(AiGateway.Core.Upstreams.ProviderRateLimitBoard))!;
        Assert.True(board.TryGet("openai", out var limits, out _));
        Assert.Equal(TimeSpan.FromSeconds(3), limits.RetryAfter);
        Assert.Equal(0, limits.RemainingRequests);
    }

    [Fact]
    public async Task Refuses_an_operation_no_provider_of_the_model_offers()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/embeddings"));

        var reply = await stream.SendAsync(RequestBody("""{"model":"claude-haiku-4-5","input":"x"}"""));

        AssertOpenAiError(reply, 400, "operation_not_supported");
    }

    [Theory]
    [InlineData("/v1/messages", "claude-haiku-4-5", "anthropic")]
    [InlineData("/anthropic/v1/messages", "claude-haiku-4-5", "anthropic")]
    [InlineData("/v1/messages", "gpt-4o-mini", "openai")]
    public async Task Routes_a_messages_request_by_model_like_a_chat_request(string path, string model, string provider)
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", path));

        var reply = await stream.SendAsync(RequestBody($$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"Hello"}]}"""));

        var common = reply.RequestBody.Response;
        Assert.True(common.ClearRouteCache);
        Assert.Equal(model, SetValue(common.HeaderMutation, "x-ai-gateway-model"));
        Assert.Equal(provider, SetValue(common.HeaderMutation, "x-ai-gateway-provider"));
    }

    [Theory]
    [InlineData("{\"model\":", 400, "invalid_request_error")]
    [InlineData("{\"max_tokens\":16,\"messages\":[]}", 400, "invalid_request_error")]
    [InlineData("{\"model\":\"claude-haiku-4-5\",\"messages\":[]}", 400, "invalid_request_error")]
    [InlineData("{\"model\":\"claude-9\",\"max_tokens\":16,\"messages\":[]}", 404, "not_found_error")]
    public async Task Answers_bad_messages_bodies_with_anthropic_errors(string body, int status, string type)
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/messages"));

        var reply = await stream.SendAsync(RequestBody(body));

        AssertAnthropicError(reply, status, type);
    }

    [Fact]
    public async Task Answers_a_messages_body_over_the_limit_with_an_anthropic_413()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/anthropic/v1/messages"));

        var reply = await stream.SendAsync(RequestBody("{\"model\":\"claude-haiku-4-5\",\"pad\":\"" + new string('x', 5000) + "\"}"));

        AssertAnthropicError(reply, 413, "request_too_large");
    }

    [Theory]
    [InlineData("GET", "/v1/messages", 405, "invalid_request_error")]
    [InlineData("POST", "/v1/messages", 400, "invalid_request_error")]
    [InlineData("POST", "/v1/messages/count_tokens", 404, "not_found_error")]
    [InlineData("GET", "/anthropic/v1/models", 404, "not_found_error")]
    public async Task Answers_messages_paths_without_a_routable_body_with_anthropic_errors(string method, string path, int status, string type)
    {
        using var stream = _server.Open();

        var reply = await stream.SendAsync(RequestHeaders(method, path, endOfStream: true));

        AssertAnthropicError(reply, status, type);
    }

    [Fact]
    public async Task Turns_an_envoy_local_reply_to_a_messages_request_into_anthropic_error_json()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/messages"));

        var headers = await stream.SendAsync(ResponseHeaders(413, "text/plain", false, ("content-length", "17")));
        var body = await stream.SendAsync(ResponseBody("Payload Too Large", true));

        Assert.Null(headers.ModeOverride);
        Assert.Equal(
            """{"type":"error","error":{"type":"request_too_large","message":"The upstream returned HTTP 413: Payload Too Large"}}""",
            body.ResponseBody.Response.BodyMutation.Body.ToStringUtf8());
    }

    [Fact]
    public async Task Answers_a_messages_request_served_by_openai_with_an_anthropic_message()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/messages"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}"""));
        await RunUpstreamAttemptAsync("openai", headersReply);
        await stream.SendAsync(ResponseHeaders(200, "application/json", false, ("content-length", "200")));

        var reply = await stream.SendAsync(ResponseBody("""{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""", true));

        var body = reply.ResponseBody.Response.BodyMutation.Body.ToStringUtf8();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("message", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("Hello", json.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", json.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture), SetValue(reply.ResponseBody.Response.HeaderMutation, "content-length"));
        Assert.Equal(5, reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["total_tokens"].NumberValue);
    }

    [Fact]
    public async Task Streams_a_messages_request_served_by_openai_as_anthropic_events()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/messages"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        await RunUpstreamAttemptAsync("openai", headersReply);

        var headers = await stream.SendAsync(ResponseHeaders(200, "text/event-stream"));
        var first = await stream.SendAsync(ResponseBody("data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n", false));
        var last = await stream.SendAsync(ResponseBody("data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1,\"total_tokens\":5}}\n\ndata: [DONE]\n\n", true));

        Assert.Equal(ProcessingMode.Types.BodySendMode.Streamed, headers.ModeOverride.ResponseBodyMode);
        Assert.Equal("text/event-stream", SetValue(headers.ResponseHeaders.Response.HeaderMutation, "content-type"));
        Assert.StartsWith("event: message_start\n", first.ResponseBody.Response.BodyMutation.Body.ToStringUtf8(), StringComparison.Ordinal);
        var end = last.ResponseBody.Response.BodyMutation.Body.ToStringUtf8();
        Assert.Contains("\"usage\":{\"input_tokens\":4,\"output_tokens\":1", end, StringComparison.Ordinal);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", end, StringComparison.Ordinal);
        Assert.Equal(5, last.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["total_tokens"].NumberValue);
    }

    [Fact]
    public async Task Rewrites_a_provider_rate_limit_for_a_messages_client_and_keeps_retry_after()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/messages"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}"""));
        await RunUpstreamAttemptAsync("openai", headersReply);

        var headers = await stream.SendAsync(ResponseHeaders(429, "application/json", false, ("retry-after", "7")));
        var body = await stream.SendAsync(ResponseBody("""{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", true));

        Assert.DoesNotContain("retry-after", headers.ResponseHeaders.Response.HeaderMutation.RemoveHeaders);
        Assert.Null(SetValue(headers.ResponseHeaders.Response.HeaderMutation, "retry-after"));
        Assert.Equal("""{"type":"error","error":{"type":"rate_limit_error","message":"Rate limit reached"}}""", body.ResponseBody.Response.BodyMutation.Body.ToStringUtf8());
    }

    [Fact]
    public async Task Reads_usage_from_an_anthropic_answer_it_passes_through_unchanged()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/messages"));
        await stream.SendAsync(RequestBody("""{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}"""));
        await RunUpstreamAttemptAsync("anthropic", headersReply);
        await stream.SendAsync(ResponseHeaders(200, "application/json"));

        var reply = await stream.SendAsync(ResponseBody("""{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2,"cache_read_input_tokens":4}}""", true));

        Assert.Null(reply.ResponseBody.Response.BodyMutation);
        Assert.Equal(7, reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["input_tokens"].NumberValue);
        Assert.Equal(4, reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["cached_input_tokens"].NumberValue);

        // Shipped prices of claude-haiku-4-5: 3 x $1 + 4 cached x $0.10 + 2 x $5 per 1M = 13.4 micro-USD.
        Assert.Equal(13, reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["cost_usd_micros"].NumberValue);
        Assert.Equal("0.000013", SetValue(reply.ResponseBody.Response.HeaderMutation, "x-ai-gateway-cost"));
    }

    [Fact]
    public async Task Writes_the_estimated_input_tokens_into_metadata_before_the_request_leaves()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));

        var routed = await stream.SendAsync(RequestBody(Chat));

        // 3 per message + "user" (1) + "Hello" (1) + 3 for the primed reply, in o200k_base.
        var metadata = routed.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields;
        Assert.Equal(8, metadata["estimated_input_tokens"].NumberValue);
        Assert.True(metadata["estimated_input_tokens_exact"].BoolValue);
    }

    [Fact]
    public async Task Counts_the_streamed_output_itself_when_the_stream_ends_without_usage()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hello"}]}"""));
        await RunUpstreamAttemptAsync("openai", headersReply);
        await stream.SendAsync(ResponseHeaders(200, "text/event-stream"));

        await stream.SendAsync(ResponseBody("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"del", false));
        var last = await stream.SendAsync(ResponseBody("ta\":{\"content\":\" World\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n", true));

        var metadata = last.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields;
        Assert.True(metadata["usage_estimated"].BoolValue);
        Assert.Equal(8, metadata["input_tokens"].NumberValue);
        Assert.Equal(Core.Tokens.TokenCounter.CountText("gpt-4o-mini", "Hello World").Tokens, metadata["output_tokens"].NumberValue);
        Assert.Equal(2, metadata["output_tokens"].NumberValue);

        // Priced like reported usage: 8 x $1 + 2 x $2 per 1M tokens.
        Assert.Equal(12, metadata["cost_usd_micros"].NumberValue);
    }

    [Fact]
    public async Task Adds_the_cost_header_and_metadata_to_a_buffered_answer()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o-mini","user":"alice","messages":[{"role":"user","content":"Hi"}]}"""));
        await RunUpstreamAttemptAsync("openai", headersReply);
        await stream.SendAsync(ResponseHeaders(200, "application/json"));

        var reply = await stream.SendAsync(ResponseBody("""{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,"prompt_tokens_details":{"cached_tokens":400},"completion_tokens_details":{"reasoning_tokens":100}}}""", true));

        // 600 x $1 + 400 x $0.50 + 500 x $2 per 1M tokens = 1800 micro-USD.
        var metadata = reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields;
        Assert.Equal(1800, metadata["cost_usd_micros"].NumberValue);
        Assert.Equal(100, metadata["reasoning_tokens"].NumberValue);
        Assert.Equal("0.001800", SetValue(reply.ResponseBody.Response.HeaderMutation, "x-ai-gateway-cost"));
    }

    [Fact]
    public async Task Leaves_the_cost_out_when_the_provider_reported_no_usage()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody(Chat));
        await RunUpstreamAttemptAsync("openai", headersReply);
        await stream.SendAsync(ResponseHeaders(200, "application/json"));

        var reply = await stream.SendAsync(ResponseBody("""{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}]}""", true));

        Assert.False(reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields.ContainsKey("cost_usd_micros"));
        Assert.Null(SetValue(reply.ResponseBody.Response.HeaderMutation, "x-ai-gateway-cost"));
    }

    private async Task RunUpstreamAttemptAsync(string provider, ProcessingResponse replyWithRequestId)
    {
        var requestId = SetValue(replyWithRequestId.RequestHeaders?.Response.HeaderMutation, "x-ai-gateway-request-id")
            ?? throw new InvalidOperationException("no request id in that reply");
        using var upstream = _server.Open(upstream: true);
        var reply = await upstream.SendAsync(UpstreamRequestHeaders(provider, (":method", "POST"), (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));
        Assert.Equal(CommonResponse.Types.ResponseStatus.ContinueAndReplace, reply.RequestHeaders.Response.Status);
        await upstream.CompleteAsync();
    }

    private static void AssertAnthropicError(ProcessingResponse reply, int status, string type)
    {
        var immediate = reply.ImmediateResponse;
        Assert.NotNull(immediate);
        Assert.Equal(status, (int)immediate.Status.Code);
        Assert.Equal("application/json", SetValue(immediate.Headers, "content-type"));
        using var json = JsonDocument.Parse(immediate.Body.ToStringUtf8());
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    private static void AssertOpenAiError(ProcessingResponse reply, int status, string code)
    {
        var immediate = reply.ImmediateResponse;
        Assert.NotNull(immediate);
        Assert.Equal(status, (int)immediate.Status.Code);
        Assert.Equal("application/json", SetValue(immediate.Headers, "content-type"));
        using var json = JsonDocument.Parse(immediate.Body.ToStringUtf8());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
        Assert.True(error.TryGetProperty("param", out _));
    }
}

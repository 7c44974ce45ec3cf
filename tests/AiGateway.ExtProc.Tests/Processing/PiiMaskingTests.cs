using AiGateway.TestKit;
using Envoy.Service.ExtProc.V3;
using static AiGateway.TestKit.EnvoyMessages;

namespace AiGateway.ExtProc.Tests.Processing;

/// <summary>security.data_masking applied by the router-level stream before any attempt translates the body.</summary>
public sealed class PiiMaskingTests : IAsyncLifetime
{
    private ExtProcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ExtProcTestServer.StartAsync(FixtureFiles.Path("gateway-masking.yaml"));

    public async Task DisposeAsync()
    {
        Assert.DoesNotContain("john@example.com", _server.Logs.AllText, StringComparison.Ordinal);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Sends_the_provider_masked_message_text()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o","messages":[{"role":"user","content":"Write to john@example.com or call 090-1234-5678"}]}"""));
        var requestId = SetValue(headersReply.RequestHeaders.Response.HeaderMutation, "x-ai-gateway-request-id")!;

        using var upstream = _server.Open(upstream: true);
        var attempt = await upstream.SendAsync(UpstreamRequestHeaders("openai", (":method", "POST"), (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));
        await upstream.CompleteAsync();

        var sent = attempt.RequestHeaders.Response.BodyMutation.Body.ToStringUtf8();
        Assert.Contains("Write to [EMAIL] or call [PHONE]", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("john@example.com", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restores_reversible_placeholders_in_a_buffered_answer()
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));
        await stream.SendAsync(RequestBody("""{"model":"gpt-4o","messages":[{"role":"user","content":"Is 10.1.2.3 reachable?"}]}"""));
        var requestId = SetValue(headersReply.RequestHeaders.Response.HeaderMutation, "x-ai-gateway-request-id")!;
        using (var upstream = _server.Open(upstream: true))
        {
            var attempt = await upstream.SendAsync(UpstreamRequestHeaders("openai", (":method", "POST"), (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));
            await upstream.CompleteAsync();
            Assert.Contains("Is [IP_ADDRESS_1] reachable?", attempt.RequestHeaders.Response.BodyMutation.Body.ToStringUtf8(), StringComparison.Ordinal);
        }

        await stream.SendAsync(ResponseHeaders(200, "application/json"));
        var reply = await stream.SendAsync(ResponseBody("""{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Yes, [IP_ADDRESS_1] answers."},"finish_reason":"stop"}]}""", true));

        var body = reply.ResponseBody.Response.BodyMutation.Body.ToStringUtf8();
        Assert.Contains("Yes, 10.1.2.3 answers.", body, StringComparison.Ordinal);
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), SetValue(reply.ResponseBody.Response.HeaderMutation, "content-length"));
    }

    [Fact]
    public async Task Refuses_a_request_whose_data_is_configured_to_block_in_the_openai_error_format()
    {
        using var stream = _server.Open();
        await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions"));

        var reply = await stream.SendAsync(RequestBody("""{"model":"gpt-4o","messages":[{"role":"user","content":"My card is 4111 1111 1111 1111"}]}"""));

        Assert.Equal(400, (int)reply.ImmediateResponse.Status.Code);
        Assert.Contains("\"code\":\"pii_blocked\"", reply.ImmediateResponse.Body.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Contains("credit_card", reply.ImmediateResponse.Body.ToStringUtf8(), StringComparison.Ordinal);
    }
}

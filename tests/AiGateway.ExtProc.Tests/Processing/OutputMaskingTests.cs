using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using AiGateway.ExtProc.Telemetry;
using AiGateway.TestKit;
using Envoy.Service.ExtProc.V3;
using static AiGateway.TestKit.EnvoyMessages;

namespace AiGateway.ExtProc.Tests.Processing;

/// <summary>
/// <c>mask_output</c>, reversible placeholders and per-tenant hashes on the router-level stream: answers are
/// masked after translation, in the client's format, buffered and streamed.
/// </summary>
public sealed class OutputMaskingTests : IAsyncLifetime
{
    private const string Email = "john@example.com";
    private ExtProcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ExtProcTestServer.StartAsync(FixtureFiles.Path("gateway-output-masking.yaml"));

    public async Task DisposeAsync()
    {
        Assert.Empty(_server.Logs.Errors);
        foreach (var secret in new[] { Email, "jane@corp.example", "090-1234-5678", "5678", "[EMAIL_1]" })
        {
            Assert.DoesNotContain(secret, _server.Logs.AllText, StringComparison.Ordinal);
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Masks_personal_data_in_a_buffered_answer_restores_placeholders_and_fixes_content_length()
    {
        using var stream = await RouteAsync("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Write to john@example.com"}]}""", "openai");
        await stream.SendAsync(ResponseHeaders(200, "application/json"));

        var reply = await stream.SendAsync(ResponseBody("""{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Done: [EMAIL_1]. Cc jane@corp.example, call 090-1234-5678."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}""", true));

        var body = reply.ResponseBody.Response.BodyMutation.Body.ToStringUtf8();
        var content = JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.Matches(@"^Done: john@example\.com\. Cc \[EMAIL\], call \[PHONE:[0-9a-f]{12}\]\.$", content);
        Assert.Equal(Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture), SetValue(reply.ResponseBody.Response.HeaderMutation, "content-length"));
        Assert.Equal(2, reply.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["pii_detected_in_response"].NumberValue);
    }

    [Fact]
    public async Task Masks_an_entity_and_restores_a_placeholder_split_across_stream_chunks()
    {
        using var masked = CaptureMaskedInResponses();
        using var stream = await RouteAsync("""{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Write to john@example.com"}]}""", "openai");
        await stream.SendAsync(ResponseHeaders(200, "text/event-stream"));
        static string Chunk(string delta, string finish = "null") => $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"finish_reason\":{finish}}}]}}\n\n";
        const string usage = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,\"total_tokens\":14}}\n\n";
        string[] chunks =
        [
            Chunk("""{"role":"assistant","content":""}""") + Chunk("""{"content":"Sent to [EMA"}"""),
            Chunk("""{"content":"IL_1]; call 090-12"}"""),
            Chunk("""{"content":"34-5678 if needed."}""") + Chunk("{}", "\"stop\"")[..40],
            Chunk("{}", "\"stop\"")[40..] + usage + "data: [DONE]\n\n",
        ];

        var released = new List<string>();
        ProcessingResponse last = null!;
        for (var i = 0; i < chunks.Length; i++)
        {
            last = await stream.SendAsync(ResponseBody(chunks[i], i == chunks.Length - 1));
            released.Add(last.ResponseBody.Response.BodyMutation?.Body.ToStringUtf8() ?? chunks[i]);
        }

        var text = string.Concat(released);
        var content = string.Concat(text.Split("\n\n").Where(e => e.StartsWith("data: {", StringComparison.Ordinal))
            .SelectMany(e => JsonDocument.Parse(e[6..]).RootElement.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("delta").TryGetProperty("content", out var s) ? s.GetString() : null));
        Assert.Matches(@"^Sent to john@example\.com; call \[PHONE:[0-9a-f]{12}\] if needed\.$", content);
        Assert.DoesNotContain("090-12", string.Concat(released.Take(2)), StringComparison.Ordinal);
        Assert.Contains(usage, text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        Assert.Equal(1, last.DynamicMetadata.Fields["ai_gateway"].StructValue.Fields["pii_detected_in_response"].NumberValue);
        Assert.Equal(1, masked.Count("phone"));
    }

    [Fact]
    public async Task Masks_an_anthropic_event_stream_for_a_messages_client()
    {
        using var stream = await RouteAsync("""{"model":"claude-haiku-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""", "anthropic", "/v1/messages");
        await stream.SendAsync(ResponseHeaders(200, "text/event-stream"));
        static string Delta(string text) => $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"{text}\"}}}}\n\n";

        var first = await stream.SendAsync(ResponseBody(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + Delta("Mail jane@corp") + Delta(".example now"),
            false));
        var last = await stream.SendAsync(ResponseBody(
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":6}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            true));

        var text = first.ResponseBody.Response.BodyMutation.Body.ToStringUtf8() + last.ResponseBody.Response.BodyMutation.Body.ToStringUtf8();
        Assert.DoesNotContain("jane", text, StringComparison.Ordinal);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => JsonDocument.Parse(e[(e.IndexOf("data: ", StringComparison.Ordinal) + 6)..]).RootElement).ToList();
        var stop = events.FindIndex(e => e.GetProperty("type").GetString() == "content_block_stop");
        var released = string.Concat(events.Take(stop).Where(e => e.GetProperty("type").GetString() == "content_block_delta").Select(e => e.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Mail [EMAIL] now", released);
        Assert.Equal("message_stop", events[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Hashes_a_value_the_same_within_a_tenant_and_differently_across_tenants()
    {
        const string chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Call 090-1234-5678"}]}""";

        var acme = await SentToProviderAsync(chat, ("x-org-id", "acme"));
        var acmeAgain = await SentToProviderAsync(chat, ("x-org-id", "acme"));
        var globex = await SentToProviderAsync(chat, ("x-org-id", "globex"));
        var none = await SentToProviderAsync(chat);

        Assert.Matches(@"\[PHONE:[0-9a-f]{12}\]", acme);
        Assert.Equal(acme, acmeAgain);
        Assert.NotEqual(acme, globex);
        Assert.NotEqual(acme, none);
    }

    private async Task<string> SentToProviderAsync(string body, params (string Name, string Value)[] headers)
    {
        using var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", "/v1/chat/completions", false, headers));
        await stream.SendAsync(RequestBody(body));
        var requestId = SetValue(headersReply.RequestHeaders.Response.HeaderMutation, "x-ai-gateway-request-id")!;
        using var upstream = _server.Open(upstream: true);
        var attempt = await upstream.SendAsync(UpstreamRequestHeaders("openai", (":method", "POST"), (":path", "/v1/chat/completions"), ("x-ai-gateway-request-id", requestId)));
        await upstream.CompleteAsync();
        var sent = attempt.RequestHeaders.Response.BodyMutation.Body.ToStringUtf8();
        return JsonDocument.Parse(sent).RootElement.GetProperty("messages")[0].GetProperty("content").GetString()!;
    }

    private async Task<EnvoyStream> RouteAsync(string body, string provider, string path = "/v1/chat/completions")
    {
        var stream = _server.Open();
        var headersReply = await stream.SendAsync(RequestHeaders("POST", path));
        await stream.SendAsync(RequestBody(body));
        var requestId = SetValue(headersReply.RequestHeaders.Response.HeaderMutation, "x-ai-gateway-request-id")!;
        using var upstream = _server.Open(upstream: true);
        await upstream.SendAsync(UpstreamRequestHeaders(provider, (":method", "POST"), (":path", path), ("x-ai-gateway-request-id", requestId)));
        await upstream.CompleteAsync();
        return stream;
    }

    private static MaskedCounter CaptureMaskedInResponses() => new();

    /// <summary>Counts <c>ai_gateway_data_masked{direction=response}</c> by type.</summary>
    private sealed class MaskedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _byType = [];

        public MaskedCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GatewayMetrics.MeterName && instrument.Name == "ai_gateway_data_masked")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? type = null;
                var response = false;
                foreach (var tag in tags)
                {
                    type = tag.Key == "type" ? tag.Value as string : type;
                    response |= tag.Key == "direction" && Equals(tag.Value, "response");
                }

                if (response && type is not null)
                {
                    lock (_byType)
                    {
                        _byType[type] = _byType.GetValueOrDefault(type) + value;
                    }
                }
            });
            _listener.Start();
        }

        public long Count(string type)
        {
            lock (_byType)
            {
                return _byType.GetValueOrDefault(type);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.RateLimit;

/// <summary>The harness's rate limit filter (envoy-protocol.md §3) against our rate-limit service or a recording fake.</summary>
public sealed class RateLimitFilterTests
{
    /// <summary>ext_proc that writes <c>ai_gateway.total_tokens</c> (and a model) on the response, as our extproc does.</summary>
    private static Func<ExtProcCall, Task> ChargingExtProc(double tokens) => call => ExtProcReplies.RespondToAllAsync(call, r =>
    {
        var reply = ExtProcReplies.ContinueFor(r);
        var fields = r.RequestCase == RequestCase.ResponseHeaders
            ? new Struct { Fields = { ["total_tokens"] = Value.ForNumber(tokens) } }
            : new Struct { Fields = { ["model"] = Value.ForString("gpt-4o-mini") } };
        reply.DynamicMetadata = new Struct { Fields = { ["ai_gateway"] = Value.ForStruct(fields) } };
        return reply;
    });

    private static HttpRequestMessage Get(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/chat/completions");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    [Fact(Timeout = 20_000)]
    public async Task Answers_429_with_rate_limit_headers_once_a_client_used_its_requests()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_010));
        var (rls, address) = await RateLimitServers.StartRealAsync(time);
        await using var _ = rls;
        await using var env = await HarnessTestEnvironment.StartAsync("ratelimit.yaml", ChargingExtProc(0), moreAddresses: new Dictionary<string, string> { ["ratelimit:8081"] = address });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await env.Client.SendAsync(Get(("x-client", "c1")));
            statuses.Add(last.StatusCode);
        }

        using var limited = last!;
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("true", limited.Headers.GetValues("x-envoy-ratelimited").Single());
        Assert.Equal("0", limited.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("30", limited.Headers.GetValues("x-ratelimit-reset").Single());
        Assert.StartsWith("3, 3;w=60;name=\"requests\"", limited.Headers.GetValues("x-ratelimit-limit").Single(), StringComparison.Ordinal);
        Assert.Equal(3, env.UpstreamA.Requests.Count);
        Assert.Equal(1, env.Harness.Stats.Get("cluster.backend-a.ratelimit.over_limit"));
    }

    [Fact(Timeout = 20_000)]
    public async Task Admits_a_user_until_charged_tokens_pass_the_quota_then_429s_until_the_next_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_010));
        var (rls, address) = await RateLimitServers.StartRealAsync(time);
        await using var _ = rls;
        await using var env = await HarnessTestEnvironment.StartAsync("ratelimit.yaml", ChargingExtProc(400), moreAddresses: new Dictionary<string, string> { ["ratelimit:8081"] = address });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await env.Client.SendAsync(Get(("x-user", "alice")));
            statuses.Add(response.StatusCode);
            await env.RecordAsync(i + 1);
        }

        time.Advance(TimeSpan.FromSeconds(30));
        using var nextWindow = await env.Client.SendAsync(Get(("x-user", "alice")));
        using var otherUser = await env.Client.SendAsync(Get(("x-user", "bob")));
        await env.RecordAsync(6);

        // 0 → 400 → 800 → 1200 tokens charged at stream end: the third request (800 ≤ 1000) is still admitted.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
        Assert.Equal(6, env.Harness.Stats.Get("cluster.backend-a.ratelimit.stream_done_calls"));
    }

    [Fact(Timeout = 20_000)]
    public async Task Builds_descriptors_from_every_action_and_sends_stream_done_entries_at_the_end()
    {
        var (rls, address, calls) = await RateLimitServers.StartRecordingAsync();
        await using var _ = rls;
        await using var env = await HarnessTestEnvironment.StartAsync("ratelimit.yaml", ChargingExtProc(42.9), moreAddresses: new Dictionary<string, string> { ["ratelimit:8081"] = address });

        using var response = await env.Client.SendAsync(Get(("x-user", "alice"), ("x-tier", "gold")));
        await env.RecordAsync();

        Assert.Equal(2, calls.Count);
        var requestTime = calls[0];
        Assert.Equal("ai-gateway", requestTime.Domain);
        Assert.Equal(
            ["quota=tokens,user=alice", "tier=gold,remote_address=127.0.0.1", "model=gpt-4o-mini,destination_cluster=backend-a"],
            requestTime.Descriptors.Select(d => string.Join(',', d.Entries.Select(e => e.Key + "=" + e.Value))));
        Assert.Equal(0ul, requestTime.Descriptors[0].HitsAddend);
        Assert.Null(requestTime.Descriptors[1].HitsAddend);
        var streamDone = Assert.Single(calls[1].Descriptors);
        Assert.Equal(42ul, streamDone.HitsAddend);
        Assert.Equal("quota=tokens,user=alice", string.Join(',', streamDone.Entries.Select(e => e.Key + "=" + e.Value)));
    }

    [Fact(Timeout = 20_000)]
    public async Task Makes_no_call_without_descriptors_and_skips_a_stream_done_entry_whose_addend_is_missing()
    {
        var (rls, address, calls) = await RateLimitServers.StartRecordingAsync();
        await using var _ = rls;
        await using var env = await HarnessTestEnvironment.StartAsync("ratelimit.yaml", call => ExtProcReplies.RespondToAllAsync(call), moreAddresses: new Dictionary<string, string> { ["ratelimit:8081"] = address });

        using var response = await env.Client.SendAsync(Get(("x-user", "alice")));
        await env.RecordAsync();

        var only = Assert.Single(calls);
        Assert.Equal(["quota=tokens,user=alice", "model=unknown,destination_cluster=backend-a"], only.Descriptors.Select(d => string.Join(',', d.Entries.Select(e => e.Key + "=" + e.Value))));
    }

    [Theory(Timeout = 20_000)]
    [InlineData("ratelimit.yaml", HttpStatusCode.OK, "failure_mode_allowed")]
    [InlineData("ratelimit_deny.yaml", HttpStatusCode.InternalServerError, "error")]
    public async Task Fails_open_or_closed_when_the_rate_limit_service_is_unreachable(string fixture, HttpStatusCode expected, string stat)
    {
        var dead = $"127.0.0.1:{RateLimitServers.FreeLoopbackPort()}";
        await using var env = await HarnessTestEnvironment.StartAsync(fixture, call => ExtProcReplies.RespondToAllAsync(call), moreAddresses: new Dictionary<string, string> { ["ratelimit:8081"] = dead });

        using var response = await env.Client.SendAsync(Get(("x-client", "c1")));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(1, env.Harness.Stats.Get("cluster.backend-a.ratelimit." + stat));
    }

    [Fact(Timeout = 20_000)]
    public async Task Uses_the_services_body_and_headers_on_a_429()
    {
        var (rls, address, _) = await RateLimitServers.StartRecordingAsync(request =>
        {
            var response = RateLimitServers.Ok(request);
            response.OverallCode = RateLimitResponse.Types.Code.OverLimit;
            response.RawBody = ByteString.CopyFromUtf8("{\"error\":\"slow down\"}");
            response.ResponseHeadersToAdd.Add(new Envoy.Config.Core.V3.HeaderValue { Key = "content-type", Value = "application/json" });
            return response;
        });
        await using var _ = rls;
        await using var env = await HarnessTestEnvironment.StartAsync("ratelimit.yaml", call => ExtProcReplies.RespondToAllAsync(call), moreAddresses: new Dictionary<string, string> { ["ratelimit:8081"] = address });

        using var response = await env.Client.SendAsync(Get(("x-client", "c1")));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"error\":\"slow down\"}", await response.Content.ReadAsStringAsync());
        Assert.Empty(env.UpstreamA.Requests);
    }
}

using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary><c>clear_route_cache</c> rules (envoy-protocol.md §2.8).</summary>
public sealed class RouteCacheTests
{
    [Fact(Timeout = 10_000)]
    public async Task Clear_route_cache_with_a_header_mutation_re_matches_the_route()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == ProcessingRequest.RequestOneofCase.RequestHeaders
                ? ExtProcReplies.ContinueFor(r, new CommonResponse { HeaderMutation = ExtProcReplies.Set(("x-model", "b")), ClearRouteCache = true })
                : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Single(env.UpstreamB.Requests);
        Assert.Empty(env.UpstreamA.Requests);
        Assert.Equal("model-b", (await env.RecordAsync()).RouteName);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_header_change_without_clear_route_cache_keeps_the_old_route()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == ProcessingRequest.RequestOneofCase.RequestHeaders
                ? ExtProcReplies.ContinueFor(r, new CommonResponse { HeaderMutation = ExtProcReplies.Set(("x-model", "b")) })
                : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Single(env.UpstreamA.Requests);
        Assert.Equal("b", env.UpstreamA.Requests[0].Header("x-model"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Clear_route_cache_is_ignored_without_a_header_mutation()
    {
        // Arrange
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == ProcessingRequest.RequestOneofCase.RequestHeaders
                ? ExtProcReplies.ContinueFor(r, new CommonResponse { ClearRouteCache = true })
                : null));

        // Act
        using var response = await env.Client.SendAsync(request);

        // Assert
        Assert.Single(env.UpstreamA.Requests);
        Assert.Equal(1, env.Harness.Stats.Get("http.test.ext_proc.clear_route_cache_ignored"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Clear_route_cache_from_a_buffered_body_reply_re_routes()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == ProcessingRequest.RequestOneofCase.RequestBody
                ? ExtProcReplies.ContinueFor(r, new CommonResponse { HeaderMutation = ExtProcReplies.Set(("x-model", "b")), ClearRouteCache = true })
                : null));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("{\"model\":\"b\"}"));

        // Assert
        Assert.Single(env.UpstreamB.Requests);
        Assert.Equal("{\"model\":\"b\"}", env.UpstreamB.Requests[0].BodyText);
    }

    [Fact(Timeout = 10_000)]
    public async Task Clear_route_cache_in_the_response_direction_is_ignored()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == ProcessingRequest.RequestOneofCase.ResponseHeaders
                ? ExtProcReplies.ContinueFor(r, new CommonResponse { HeaderMutation = new HeaderMutation(), ClearRouteCache = true })
                : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(1, env.Harness.Stats.Get("http.test.ext_proc.clear_route_cache_ignored"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Clear_route_cache_from_an_upstream_filter_is_ignored()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("upstream.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            call.IsUpstream
                ? ExtProcReplies.ContinueFor(r, new CommonResponse { HeaderMutation = new HeaderMutation(), ClearRouteCache = true })
                : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(1, env.Harness.Stats.Get("cluster.llm.ext_proc.clear_route_cache_upstream_ignored"));
        Assert.Equal("llm", (await env.RecordAsync()).RouteName);
    }
}

using System.Net;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Tests.Infrastructure;

namespace AiGateway.EnvoyHarness.Tests.Config;

/// <summary>The harness reads and runs the real envoy/envoy.yaml (anchors and aliases included).</summary>
public sealed class ShippedEnvoyYamlTests
{
    [Fact(Timeout = 10_000)]
    public async Task Runs_the_shipped_envoy_yaml()
    {
        // Arrange
        var bootstrap = BootstrapLoader.LoadFile(RepositoryFiles.ShippedEnvoyYaml);

        // Act
        await using var harness = await EnvoyHarness.StartAsync(new EnvoyHarnessOptions
        {
            EnvoyYamlPath = RepositoryFiles.ShippedEnvoyYaml,
            AddressOverrides = new Dictionary<string, string> { ["extproc:50051"] = "127.0.0.1:1", ["mock-provider:8080"] = "127.0.0.1:1" },
        });

        // Assert: listener and router-level ext_proc.
        var listener = bootstrap.Listener;
        Assert.Equal(8080, listener.Port);
        Assert.Equal(8388608, listener.BufferLimitBytes);
        Assert.Equal(["envoy.filters.http.ext_proc", "envoy.filters.http.ratelimit", "envoy.filters.http.router"], listener.ConnectionManager.HttpFilters.Select(f => f.Name));
        var routerLevel = ExtProcConfigReader.Read(listener.ConnectionManager.HttpFilters[0].TypedConfig, "router-level");
        Assert.Equal("aigw_extproc", routerLevel.ClusterName);
        Assert.True(routerLevel.AllowModeOverride);
        Assert.Equal(TimeSpan.FromSeconds(10), routerLevel.MessageTimeout);
        Assert.Equal(["ai_gateway"], routerLevel.ReceivingNamespaces);

        // Routes: header matches, the retry policy alias resolved on every route, and the catch-all direct response.
        var routes = listener.ConnectionManager.RouteConfig.VirtualHosts.Single().Routes;
        Assert.All(routes.Where(r => r.Action is not null), r =>
        {
            Assert.Equal(["x-ai-gateway-model", "x-ai-gateway-provider"], r.Match.Headers.Select(h => h.Name));
            Assert.Equal($"{r.Match.Headers[0].StringMatch!.Exact}/{r.Match.Headers[1].StringMatch!.Exact}", r.Name);
            Assert.Equal(2, r.Action!.RetryPolicy!.NumRetries);
            Assert.Equal(1, r.Action.RetryPolicy.PreviousPrioritiesUpdateFrequency);
            Assert.True(r.Action.RetryPolicy.PreviousHostsPredicate);
            Assert.Contains(429, r.Action.RetryPolicy.RetriableStatusCodes);
        });
        Assert.Equal(404, routes[^1].DirectResponse!.Status);

        // Clusters: priorities with endpoint metadata and the aliased upstream filter chain.
        var cluster = bootstrap.Clusters["aigw/local-vllm/openai/azure"];
        Assert.Equal([0, 1, 2], cluster.Priorities.Select(p => p.Priority));
        Assert.Equal("local-vllm", cluster.Priorities[0].Endpoints[0].Metadata.FilterMetadata["ai_gateway"].Fields["provider"].StringValue);
        Assert.Equal("openai", cluster.Priorities[1].Endpoints[0].Metadata.FilterMetadata["ai_gateway"].Fields["provider"].StringValue);
        Assert.Equal("azure", cluster.Priorities[2].Endpoints[0].Metadata.FilterMetadata["ai_gateway"].Fields["provider"].StringValue);
        Assert.Equal("mock-provider:8080", cluster.Priorities[0].Endpoints[0].Address);
        Assert.Equal(
            ["envoy.filters.http.ext_proc", "envoy.filters.http.header_mutation", "envoy.filters.http.upstream_codec"],
            cluster.UpstreamHttpFilters.Select(f => f.Name));
        var upstreamLevel = ExtProcConfigReader.Read(cluster.UpstreamHttpFilters[0].TypedConfig, "upstream-level");
        Assert.Contains(new KeyValuePair<string, string>("x-ai-gateway-filter", "upstream"), upstreamLevel.InitialMetadata);
        Assert.Contains("xds.upstream_host_metadata.filter_metadata['ai_gateway']['provider']", upstreamLevel.RequestAttributes);
        Assert.True(upstreamLevel.MutationRules.AllowAllRouting);
        Assert.DoesNotContain(harness.Notes, n => n.Contains("filter", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10_000)]
    public async Task The_shipped_catch_all_route_answers_404_when_the_processor_sets_no_routing_headers()
    {
        // Arrange
        await using var extProc = await ScriptedExtProcServer.StartAsync(call => ExtProcReplies.RespondToAllAsync(call));
        await using var harness = await EnvoyHarness.StartAsync(new EnvoyHarnessOptions
        {
            EnvoyYamlPath = RepositoryFiles.ShippedEnvoyYaml,
            AddressOverrides = new Dictionary<string, string> { ["extproc:50051"] = extProc.Address, ["mock-provider:8080"] = "127.0.0.1:1" },
        });
        using var client = new HttpClient { BaseAddress = harness.BaseAddress, Timeout = TimeSpan.FromSeconds(8) };

        // Act
        using var response = await client.PostAsync("/v1/chat/completions", new StringContent("{\"model\":\"nope\"}"));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("route_not_found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

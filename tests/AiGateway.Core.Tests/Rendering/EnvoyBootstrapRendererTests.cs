using AiGateway.Core.Configuration;
using AiGateway.Core.Rendering;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;
using YamlDotNet.RepresentationModel;
using static AiGateway.TestKit.YamlPath;

namespace AiGateway.Core.Tests.Rendering;

public sealed class EnvoyBootstrapRendererTests
{
    private static GatewaySnapshot Load(string yaml, Func<ApiSchema, bool>? supported = null) =>
        new GatewayConfigLoader(supported ?? (_ => true), _ => "key", new FakeTimeProvider()).Load(yaml, "gateway.yaml").Snapshot
        ?? throw new InvalidOperationException("invalid test configuration");

    [Fact]
    public void The_shipped_envoy_yaml_is_the_rendering_of_the_shipped_gateway_yaml()
    {
        // Arrange
        var snapshot = Load(File.ReadAllText(FixtureFiles.InRepository("envoy/gateway.yaml")), new Core.Translation.TranslatorRegistry().Supports);

        // Act
        var rendered = EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions());

        // Assert: if this fails, run `aigw render envoy --config envoy/gateway.yaml -o envoy/envoy.yaml`.
        Assert.Equal(File.ReadAllText(FixtureFiles.InRepository("envoy/envoy.yaml")), rendered);
    }

    [Fact]
    public void Renders_one_route_per_model_and_first_provider_and_one_cluster_per_provider_order()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "seed-fallback.gateway.yaml"));

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions()));

        var routes = Seq(root, "static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config", "route_config", "virtual_hosts", 0, "routes");
        Assert.Equal(
            ["gpt-3.5-turbo/primary", "gpt-35-turbo/secondary", "gpt-4/primary", "gpt-4/secondary", "ibm/granite-13b-chat-v2/fallback", "no_route"],
            routes.Select(r => Scalar(r, "name")));
        var clusters = Seq(root, "static_resources", "clusters");
        var primaryFirst = clusters.Single(c => Scalar(c, "name") == "aigw/primary/secondary");
        var endpoints = Seq(primaryFirst, "load_assignment", "endpoints");
        Assert.Equal(["0", "1"], endpoints.Select(e => Scalar(e, "priority")));
        Assert.Equal("api.openai.com", Scalar(Seq(endpoints[0], "lb_endpoints")[0], "endpoint", "hostname"));
        Assert.Equal("443", Scalar(Seq(endpoints[0], "lb_endpoints")[0], "endpoint", "address", "socket_address", "port_value"));
        Assert.Equal("secondary", Scalar(Seq(endpoints[1], "lb_endpoints")[0], "metadata", "filter_metadata", "ai_gateway", "provider"));
    }

    [Fact]
    public void Gives_each_tls_provider_its_own_sni()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "seed-fallback.gateway.yaml"));

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions()));

        var cluster = Seq(root, "static_resources", "clusters").Single(c => Scalar(c, "name") == "aigw/primary/secondary");
        var matches = Seq(cluster, "transport_socket_matches");
        Assert.Equal(["api.openai.com", "your-resource.openai.azure.com"], matches.Select(m => Scalar(m, "transport_socket", "typed_config", "sni")));
        Assert.Equal("secondary", Scalar(matches[1], "match", "ai_gateway_tls"));
    }

    [Fact]
    public void Maps_fallback_errors_and_attempts_to_the_retry_policy()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "seed-fallback.gateway.yaml"));

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions()));

        var route = Seq(root, "static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config", "route_config", "virtual_hosts", 0, "routes")[0];
        Assert.Equal("gateway-error,reset,connect-failure,retriable-status-codes", Scalar(route, "route", "retry_policy", "retry_on"));
        Assert.Equal("3", Scalar(route, "route", "retry_policy", "num_retries"));
        Assert.Equal("1s", Scalar(route, "route", "retry_policy", "retry_back_off", "base_interval"));
        Assert.Equal(["429"], Seq(route, "route", "retry_policy", "retriable_status_codes").Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void Without_fallback_a_cluster_holds_only_the_chosen_provider_and_nothing_is_retried()
    {
        var snapshot = Load("""
            providers:
              - { name: a, type: openai, endpoint: "http://a:1/v1", models: [m] }
              - { name: b, type: openai, endpoint: "http://b:2/v1", models: [m] }
            routing:
              fallback_enabled: false
            """);

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions { ExtProcAddress = "127.0.0.1:50051" }));

        Assert.Equal(["aigw_extproc", "aigw/a", "aigw/b"], Seq(root, "static_resources", "clusters").Select(c => Scalar(c, "name")));
        var route = Seq(root, "static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config", "route_config", "virtual_hosts", 0, "routes")[0];
        Assert.Equal("0", Scalar(route, "route", "retry_policy", "num_retries"));
    }

    [Fact]
    public void Renders_a_static_pipe_cluster_for_a_unix_socket_extproc()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "seed-fallback.gateway.yaml"));

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions { ExtProcAddress = "unix:/var/run/aigw.sock" }));

        var cluster = Seq(root, "static_resources", "clusters")[0];
        Assert.Equal("aigw_extproc", Scalar(cluster, "name"));
        Assert.Equal("STATIC", Scalar(cluster, "type"));
        Assert.Equal("/var/run/aigw.sock", Scalar(cluster, "load_assignment", "endpoints", 0, "lb_endpoints", 0, "endpoint", "address", "pipe", "path"));
    }

    [Fact]
    public void Long_streams_are_bounded_by_idle_timeouts_not_by_a_route_timeout()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "seed-fallback.gateway.yaml"));

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions()));

        var route = Seq(root, "static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config", "route_config", "virtual_hosts", 0, "routes")[0];
        Assert.Equal("0s", Scalar(route, "route", "timeout"));
        Assert.Equal("120s", Scalar(route, "route", "retry_policy", "per_try_idle_timeout"));
        Assert.Equal("300s", Scalar(root, "static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config", "stream_idle_timeout"));
    }

    [Fact]
    public void Puts_the_rate_limit_filter_after_the_router_level_ext_proc_and_before_the_router()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "rate-limits.gateway.yaml"));

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions()));

        var filters = Seq(HttpConnectionManager(root), "http_filters");
        Assert.Equal(["envoy.filters.http.ext_proc", "envoy.filters.http.ratelimit", "envoy.filters.http.router"], filters.Select(f => Scalar(f, "name")));
        var config = Node(filters[1], "typed_config");
        Assert.Equal("type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit", Scalar(config, "@type"));
        Assert.Equal("team-gateway", Scalar(config, "domain"));
        Assert.Equal("0.05s", Scalar(config, "timeout"));
        Assert.Equal("true", Scalar(config, "failure_mode_deny"));
        Assert.Equal("OFF", Scalar(config, "enable_x_ratelimit_headers"));
        Assert.Equal("aigw_ratelimit", Scalar(config, "rate_limit_service", "grpc_service", "envoy_grpc", "cluster_name"));
        Assert.Equal("V3", Scalar(config, "rate_limit_service", "transport_api_version"));
    }

    [Fact]
    public void Renders_the_rate_limit_service_cluster_with_http2_at_the_configured_address()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "rate-limits.gateway.yaml"));

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions()));

        var cluster = Seq(root, "static_resources", "clusters").Single(c => Scalar(c, "name") == "aigw_ratelimit");
        Assert.NotNull(Node(cluster, "typed_extension_protocol_options", "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", "explicit_http_config", "http2_protocol_options"));
        var address = Node(cluster, "load_assignment", "endpoints", 0, "lb_endpoints", 0, "endpoint", "address", "socket_address");
        Assert.Equal(("limits.internal", "9091"), (Scalar(address, "address"), Scalar(address, "port_value")));
    }

    [Fact]
    public void A_request_limit_is_one_entry_and_a_token_limit_a_check_and_a_stream_done_charge_with_the_same_descriptor()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "rate-limits.gateway.yaml"));

        var root = Parse(EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions()));

        var perRoute = Node(HttpConnectionManager(root), "route_config", "virtual_hosts", 0, "typed_per_filter_config", "envoy.filters.http.ratelimit");
        Assert.Equal("type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute", Scalar(perRoute, "@type"));
        Assert.False(((YamlMappingNode)Node(HttpConnectionManager(root), "http_filters", 1, "typed_config")).Children.ContainsKey(new YamlScalarNode("rate_limits")));
        var entries = Seq(perRoute, "rate_limits");
        Assert.Equal(
            [
                "limit=requests-per-user x-user-id=<x-user-id> | - | False",
                "limit=tokens-per-user-and-model x-user-id=<x-user-id> model=<x-ai-gateway-model> | number 0 | False",
                "limit=tokens-per-user-and-model x-user-id=<x-user-id> model=<x-ai-gateway-model> | format %DYNAMIC_METADATA(ai_gateway:total_tokens)% | True",
                "limit=requests-per-address remote_address | - | False",
                "limit=tokens-per-tenant tenant=<envoy.filters.http.jwt_authn:payload.tenant> | number 0 | False",
                "limit=tokens-per-tenant tenant=<envoy.filters.http.jwt_authn:payload.tenant> | format %DYNAMIC_METADATA(ai_gateway:total_tokens)% | True",
                "limit=tokens-per-model model=<x-ai-gateway-model> | number 0 | False",
                "limit=tokens-per-model model=<x-ai-gateway-model> | format %DYNAMIC_METADATA(ai_gateway:total_tokens)% | True",
                "limit=everything | - | False",
            ],
            entries.Select(Describe));
    }

    [Fact]
    public void Renders_no_rate_limit_filter_or_cluster_without_rate_limiting()
    {
        var snapshot = Load(FixtureFiles.Text("Rendering", "seed-fallback.gateway.yaml"));

        var yaml = EnvoyBootstrapRenderer.Render(snapshot, new EnvoyRenderOptions());

        Assert.DoesNotContain("ratelimit", yaml, StringComparison.Ordinal);
    }

    private static YamlNode HttpConnectionManager(YamlNode root) =>
        Node(root, "static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config");

    /// <summary>One rate_limits entry as "key=value ... | addend | stream done", with placeholders for request values.</summary>
    private static string Describe(YamlNode entry)
    {
        var actions = Seq(entry, "actions").Select(a =>
        {
            var (kind, body) = ((YamlMappingNode)a).Children.Single();
            return ((YamlScalarNode)kind).Value switch
            {
                "generic_key" => $"{Scalar(body, "descriptor_key")}={Scalar(body, "descriptor_value")}",
                "request_headers" => $"{Scalar(body, "descriptor_key")}=<{Scalar(body, "header_name")}>",
                "remote_address" => "remote_address",
                "metadata" => $"{Scalar(body, "descriptor_key")}=<{Scalar(body, "metadata_key", "key")}:{string.Join('.', Seq(body, "metadata_key", "path").Select(p => Scalar(p, "key")))}>",
                var other => other!,
            };
        });
        var map = (YamlMappingNode)entry;
        var addend = map.Children.TryGetValue(new YamlScalarNode("hits_addend"), out var hits)
            ? string.Join(' ', ((YamlMappingNode)hits).Children.Select(c => $"{c.Key} {c.Value}"))
            : "-";
        var done = map.Children.TryGetValue(new YamlScalarNode("apply_on_stream_done"), out var flag) ? ((YamlScalarNode)flag).Value : "False";
        return $"{string.Join(' ', actions)} | {addend} | {(done == "true" ? "True" : "False")}";
    }
}

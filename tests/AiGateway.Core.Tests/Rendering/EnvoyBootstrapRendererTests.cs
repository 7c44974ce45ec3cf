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
}

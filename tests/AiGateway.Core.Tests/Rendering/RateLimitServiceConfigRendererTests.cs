using AiGateway.Core.Configuration;
using AiGateway.Core.Rendering;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;
using YamlDotNet.RepresentationModel;
using static AiGateway.TestKit.YamlPath;

namespace AiGateway.Core.Tests.Rendering;

public sealed class RateLimitServiceConfigRendererTests
{
    private static RateLimitingSettings Load(string yaml, Func<ApiSchema, bool>? supported = null) =>
        new GatewayConfigLoader(supported ?? (_ => true), _ => "key", new FakeTimeProvider()).Load(yaml, "gateway.yaml").Snapshot?.RateLimiting
        ?? throw new InvalidOperationException("invalid test configuration");

    [Fact]
    public void The_shipped_rate_limit_config_is_the_rendering_of_the_shipped_gateway_yaml()
    {
        var settings = Load(File.ReadAllText(FixtureFiles.InRepository("envoy/gateway.yaml")), new Core.Translation.TranslatorRegistry().Supports);

        var rendered = RateLimitServiceConfigRenderer.Render(settings);

        // If this fails, run `aigw render ratelimit --config envoy/gateway.yaml -o envoy/ratelimit/config.yaml`.
        Assert.Equal(File.ReadAllText(FixtureFiles.InRepository("envoy/ratelimit/config.yaml")), rendered);
    }

    [Fact]
    public void Nests_each_limit_under_its_name_then_its_subject_then_the_model_with_the_rule_on_the_last_level()
    {
        var settings = Load(FixtureFiles.Text("Rendering", "rate-limits.gateway.yaml"));

        var root = Parse(RateLimitServiceConfigRenderer.Render(settings));

        Assert.Equal("team-gateway", Scalar(root, "domain"));
        var limits = Seq(root, "descriptors");
        Assert.All(limits, l => Assert.Equal("limit", Scalar(l, "key")));
        Assert.Equal(["requests-per-user", "tokens-per-user-and-model", "requests-per-address", "tokens-per-tenant", "tokens-per-model", "everything"], limits.Select(l => Scalar(l, "value")));
        var perUserAndModel = Node(limits[1], "descriptors", 0);
        Assert.Equal("x-user-id", Scalar(perUserAndModel, "key"));
        Assert.False(((YamlMappingNode)perUserAndModel).Children.ContainsKey(new YamlScalarNode("rate_limit")));
        var model = Node(perUserAndModel, "descriptors", 0);
        Assert.Equal("model", Scalar(model, "key"));
        Assert.Equal(("tokens-per-user-and-model", "day", "50000"), (Scalar(model, "rate_limit", "name"), Scalar(model, "rate_limit", "unit"), Scalar(model, "rate_limit", "requests_per_unit")));
        Assert.Equal(("everything", "week", "100000"), (Scalar(limits[5], "rate_limit", "name"), Scalar(limits[5], "rate_limit", "unit"), Scalar(limits[5], "rate_limit", "requests_per_unit")));
        Assert.Equal("tenant", Scalar(limits[3], "descriptors", 0, "key"));
    }
}

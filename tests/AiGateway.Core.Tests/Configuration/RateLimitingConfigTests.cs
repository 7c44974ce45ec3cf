using AiGateway.Core.Configuration;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Configuration;

public sealed class RateLimitingConfigTests
{
    private static GatewaySnapshot Load(string yaml) =>
        new GatewayConfigLoader(_ => true, _ => "key", new FakeTimeProvider()).Load(yaml, "gateway.yaml") is { Snapshot: { } snapshot } ? snapshot
        : throw new InvalidOperationException("invalid test configuration");

    [Fact]
    public void Compiles_every_limit_with_its_subject_kind_and_unit()
    {
        var settings = Load(FixtureFiles.Text("Rendering", "rate-limits.gateway.yaml")).RateLimiting!;

        Assert.Equal(("limits.internal", 9091, "team-gateway", TimeSpan.FromMilliseconds(50), true, false), (settings.ServiceHost, settings.ServicePort, settings.Domain, settings.Timeout, settings.FailureModeDeny, settings.ResponseHeaders));
        Assert.Equal(
            [
                "requests-per-user Header x-user-id Requests 100 minute False",
                "tokens-per-user-and-model Header x-user-id Tokens 50000 day True",
                "requests-per-address RemoteAddress remote_address Requests 20 second False",
                "tokens-per-tenant Metadata tenant Tokens 1000000 month False",
                "tokens-per-model Global  Tokens 5000000 hour True",
                "everything Global  Requests 100000 week False",
            ],
            settings.Limits.Select(l => $"{l.Name} {l.Per.Kind} {l.Per.DescriptorKey} {l.Kind} {l.Amount} {l.Unit} {l.PerModel}"));
        var tenant = settings.Limits[3].Per;
        Assert.Equal("envoy.filters.http.jwt_authn", tenant.Name);
        Assert.Equal(["payload", "tenant"], tenant.Path.ToArray());
    }

    [Fact]
    public void Defaults_to_the_compose_service_envoys_timeout_fail_open_and_response_headers()
    {
        var snapshot = Load("""
            providers:
              - { name: openai, type: openai, endpoint: https://api.openai.com/v1, models: [gpt-4o] }
            rate_limiting:
              limits:
                - { name: rpm, per: header:x-user-id, requests: 60, unit: minute }
            """);

        var settings = snapshot.RateLimiting!;

        Assert.Equal(("ratelimit", 8081, "ai-gateway", TimeSpan.FromMilliseconds(20), false, true), (settings.ServiceHost, settings.ServicePort, settings.Domain, settings.Timeout, settings.FailureModeDeny, settings.ResponseHeaders));
    }

    [Fact]
    public void Has_no_rate_limiting_without_the_section()
    {
        var snapshot = Load("""
            providers:
              - { name: openai, type: openai, endpoint: https://api.openai.com/v1, models: [gpt-4o] }
            """);

        Assert.Null(snapshot.RateLimiting);
    }
}

using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Tests.Infrastructure;

namespace AiGateway.EnvoyHarness.Tests.Config;

public sealed class BootstrapLoaderTests
{
    [Fact]
    public void Fixture_priorities_endpoint_metadata_and_upstream_filters_are_read()
    {
        // Arrange
        var path = HarnessTestEnvironment.FixturePath("upstream.yaml");

        // Act
        var bootstrap = BootstrapLoader.LoadFile(path);

        // Assert
        var cluster = bootstrap.Clusters["llm"];
        Assert.Equal(["upstream-a:80", "upstream-b:80"], cluster.Priorities.Select(p => p.Endpoints.Single().Address));
        Assert.Equal(3, cluster.UpstreamHttpFilters.Count);
        Assert.Equal(1024 * 1024, bootstrap.Listener.BufferLimitBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(300), bootstrap.Listener.ConnectionManager.RouteConfig.VirtualHosts[0].Routes[0].Action!.Timeout);
    }

    [Fact]
    public void Header_mutation_values_are_parsed_as_substitution_formats()
    {
        // Arrange
        var metadata = new Envoy.Config.Core.V3.Metadata();
        metadata.FilterMetadata["ai_gateway"] = new Google.Protobuf.WellKnownTypes.Struct
        {
            Fields = { ["n"] = Google.Protobuf.WellKnownTypes.Value.ForNumber(42), ["f"] = Google.Protobuf.WellKnownTypes.Value.ForNumber(1.5) },
        };

        // Act
        var integral = SubstitutionFormat.Parse("%DYNAMIC_METADATA(ai_gateway:n)%").Format(metadata, _ => null);
        var fractional = SubstitutionFormat.Parse("v=%DYNAMIC_METADATA(ai_gateway:f)%").Format(metadata, _ => null);
        var missing = SubstitutionFormat.Parse("%DYNAMIC_METADATA(ai_gateway:absent)%").Format(metadata, _ => null);

        // Assert
        Assert.Equal("42", integral);
        Assert.Equal("v=1.5", fractional);
        Assert.Equal(string.Empty, missing);
    }
}

using AiGateway.Cli.Commands;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.TestKit;
using YamlDotNet.RepresentationModel;
using static AiGateway.TestKit.YamlPath;

namespace AiGateway.Cli.Tests.Commands;

public sealed class RenderCommandTests
{
    public static TheoryData<string> GatewayFiles() => [FixtureFiles.Path("render", "rate-limits.gateway.yaml"), FixtureFiles.InRepository("envoy/gateway.yaml")];

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AigwCommand.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [MemberData(nameof(GatewayFiles))]
    public async Task Every_descriptor_the_rendered_envoy_filter_can_send_finds_its_limit_in_the_rendered_service_config(string gatewayYaml)
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("aigw-render-").FullName;
        var envoyYaml = Path.Combine(directory, "envoy.yaml");
        var serviceYaml = Path.Combine(directory, "ratelimit", "config.yaml");

        // Act
        var envoy = await RunAsync("render", "envoy", "--config", gatewayYaml, "-o", envoyYaml);
        var service = await RunAsync("render", "ratelimit", "--config", gatewayYaml, "-o", serviceYaml);

        // Assert
        Assert.True(envoy.Exit == 0, envoy.Error);
        Assert.True(service.Exit == 0, service.Error);
        var loaded = new RateLimitConfigLoader().LoadPath(Path.GetDirectoryName(serviceYaml)!);
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Errors));
        var hcm = Node(Parse(await File.ReadAllTextAsync(envoyYaml)), "static_resources", "listeners", 0, "filter_chains", 0, "filters", 0, "typed_config");
        var filter = Seq(hcm, "http_filters").Single(f => Scalar(f, "name") == "envoy.filters.http.ratelimit");
        var domain = Scalar(filter, "typed_config", "domain")!;
        var entries = Seq(hcm, "route_config", "virtual_hosts", 0, "typed_per_filter_config", "envoy.filters.http.ratelimit", "rate_limits");
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            var descriptor = Descriptor(entry);
            var found = loaded.Config!.Find(domain, descriptor);
            Assert.True(found is not null, $"no limit for {string.Join(", ", descriptor.Entries)}");
            Assert.Equal(descriptor.Entries[0].Value, found.Rule.Name);
        }
    }

    [Fact]
    public async Task The_rendered_service_config_passes_validate_ratelimit()
    {
        var directory = Directory.CreateTempSubdirectory("aigw-render-").FullName;

        var render = await RunAsync("render", "ratelimit", "--config", FixtureFiles.Path("render", "rate-limits.gateway.yaml"), "-o", Path.Combine(directory, "config.yaml"));
        var validate = await RunAsync("validate", "--ratelimit", directory);

        Assert.Equal(0, render.Exit);
        Assert.True(validate.Exit == 0, validate.Error);
    }

    [Fact]
    public async Task Writes_the_service_config_to_standard_output_without_an_output_file()
    {
        var (exit, output, _) = await RunAsync("render", "ratelimit", "--config", FixtureFiles.Path("render", "rate-limits.gateway.yaml"));

        Assert.Equal(0, exit);
        Assert.Equal("team-gateway", Scalar(Parse(output), "domain"));
    }

    [Fact]
    public async Task Refuses_to_render_the_service_config_of_a_gateway_yaml_without_rate_limiting()
    {
        var (exit, output, error) = await RunAsync("render", "ratelimit", "--config", FixtureFiles.Path("render", "no-rate-limiting.gateway.yaml"));

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("error: rate_limiting: is required to render the rate-limit service's configuration", error, StringComparison.Ordinal);
    }

    /// <summary>The descriptor Envoy sends for one rate_limits entry, with a made-up value for each request-dependent entry.</summary>
    private static RequestDescriptor Descriptor(YamlNode entry) => new([.. Seq(entry, "actions").Select(action =>
    {
        var (kind, body) = ((YamlMappingNode)action).Children.Single();
        return ((YamlScalarNode)kind).Value switch
        {
            "generic_key" => new DescriptorEntry(Scalar(body, "descriptor_key")!, Scalar(body, "descriptor_value")!),
            "request_headers" => new DescriptorEntry(Scalar(body, "descriptor_key")!, "value-of-" + Scalar(body, "header_name")),
            "remote_address" => new DescriptorEntry("remote_address", "203.0.113.7"),
            "metadata" => new DescriptorEntry(Scalar(body, "descriptor_key")!, "tenant-a"),
            var other => throw new InvalidOperationException($"the renderer wrote an action this test does not know: {other}"),
        };
    })]);
}

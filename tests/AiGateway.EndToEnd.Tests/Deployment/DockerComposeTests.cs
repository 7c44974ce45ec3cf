using AiGateway.TestKit;
using YamlDotNet.RepresentationModel;
using static AiGateway.TestKit.YamlPath;

namespace AiGateway.EndToEnd.Tests.Deployment;

/// <summary>docker-compose.yml, envoy/envoy.yaml and envoy/gateway.yaml must describe the same deployment.</summary>
public sealed class DockerComposeTests
{
    private static readonly YamlMappingNode Compose = Load("docker-compose.yml");
    private static readonly YamlMappingNode Envoy = Load("envoy/envoy.yaml");

    [Fact]
    public void Envoy_runs_a_pinned_official_image_of_version_1_37_or_newer()
    {
        var image = Scalar(Service("envoy"), "image");

        Assert.Matches(@"^envoyproxy/envoy:v1\.\d+\.\d+$", image);
        var minor = int.Parse(image.Split(':')[1].Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(minor >= 37, $"{image} is older than 1.37 (local replies through ext_proc need 1.37)");
    }

    [Fact]
    public void Envoy_reads_the_mounted_envoy_yaml()
    {
        var envoy = Service("envoy");
        var command = List(envoy, "command");
        var configPath = command[command.IndexOf("-c") + 1];

        Assert.Contains($"./envoy/envoy.yaml:{configPath}:ro", List(envoy, "volumes"));
    }

    [Fact]
    public void The_gateway_listener_is_published_and_the_unauthenticated_admin_api_is_not()
    {
        var ports = List(Service("envoy"), "ports").Select(p => p.Split(':')[1]).ToList();

        Assert.Contains(Scalar(Node(Envoy, "static_resources", "listeners", 0, "address", "socket_address"), "port_value"), ports);
        Assert.Equal("127.0.0.1", Scalar(Node(Envoy, "admin", "address", "socket_address"), "address"));
        Assert.DoesNotContain(Scalar(Node(Envoy, "admin", "address", "socket_address"), "port_value"), ports);
    }

    [Fact]
    public void The_extproc_cluster_points_at_the_extproc_service_and_its_listen_port()
    {
        var address = Node(ExtProcCluster(), "load_assignment", "endpoints", 0, "lb_endpoints", 0, "endpoint", "address", "socket_address");
        var command = List(Service("extproc"), "command");
        var listen = command[command.IndexOf("--listen") + 1];

        Assert.True(ServiceExists(Scalar(address, "address")), "envoy.yaml's extproc address is not a compose service");
        Assert.Equal("extproc", Scalar(address, "address"));
        Assert.EndsWith(":" + Scalar(address, "port_value"), listen, StringComparison.Ordinal);
        Assert.StartsWith("0.0.0.0:", listen, StringComparison.Ordinal);
    }

    [Fact]
    public void Extproc_reads_the_mounted_gateway_yaml_that_envoy_yaml_was_rendered_from()
    {
        var extproc = Service("extproc");
        var command = List(extproc, "command");
        var configPath = command[command.IndexOf("--config") + 1];

        Assert.Contains($"./envoy/gateway.yaml:{configPath}:ro", List(extproc, "volumes"));
    }

    [Fact]
    public void Every_provider_endpoint_in_envoy_yaml_is_a_compose_service_listening_on_that_port()
    {
        var endpoints = ((YamlSequenceNode)Node(Envoy, "static_resources", "clusters")).Children
            .Where(c => Scalar(c, "name") is not "aigw_extproc" and not "aigw_ratelimit")
            .SelectMany(c => ((YamlSequenceNode)Node(c, "load_assignment", "endpoints")).Children)
            .SelectMany(p => ((YamlSequenceNode)Node(p, "lb_endpoints")).Children)
            .Select(e => Node(e, "endpoint", "address", "socket_address"))
            .Select(a => (Host: Scalar(a, "address"), Port: Scalar(a, "port_value")))
            .Distinct()
            .ToList();

        Assert.NotEmpty(endpoints);
        foreach (var (host, port) in endpoints)
        {
            Assert.True(ServiceExists(host), $"{host} is not a compose service");
            var command = List(Service(host), "command");
            Assert.Contains($"http://0.0.0.0:{port}", command[command.IndexOf("--urls") + 1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_ratelimit_cluster_points_at_the_ratelimit_service_and_its_listen_port()
    {
        var cluster = ((YamlSequenceNode)Node(Envoy, "static_resources", "clusters")).Children.Single(c => Scalar(c, "name") == "aigw_ratelimit");
        var address = Node(cluster, "load_assignment", "endpoints", 0, "lb_endpoints", 0, "endpoint", "address", "socket_address");
        var command = List(Service("ratelimit"), "command");
        var listen = command[command.IndexOf("--listen") + 1];

        Assert.Equal(["serve", "ratelimit"], command.Take(2));
        Assert.Equal("ratelimit", Scalar(address, "address"));
        Assert.Equal("0.0.0.0:" + Scalar(address, "port_value"), listen);
    }

    [Fact]
    public void Ratelimit_reads_the_mounted_config_rendered_from_gateway_yaml()
    {
        var ratelimit = Service("ratelimit");
        var command = List(ratelimit, "command");
        var configPath = command[command.IndexOf("--config") + 1];

        Assert.Contains($"./envoy/ratelimit:{configPath}:ro", List(ratelimit, "volumes"));
        Assert.True(File.Exists(FixtureFiles.InRepository("envoy/ratelimit/config.yaml")));
    }

    [Fact]
    public void Ratelimit_counts_in_the_official_redis_image()
    {
        var command = List(Service("ratelimit"), "command");
        var redis = new Uri(command[command.IndexOf("--redis") + 1]);

        Assert.Equal("redis", redis.Scheme);
        Assert.True(ServiceExists(redis.Host), $"{redis.Host} is not a compose service");
        Assert.Matches(@"^redis:[0-9][0-9.]*(-alpine)?$", Scalar(Service(redis.Host), "image"));
        Assert.Equal(6379, redis.Port);
        Assert.Contains(redis.Host, List(Service("ratelimit"), "depends_on"));
    }

    [Fact]
    public void Envoy_starts_after_every_service_its_clusters_reach()
    {
        var dependsOn = List(Service("envoy"), "depends_on");

        Assert.Equal(["extproc", "ratelimit", "mock-provider"], dependsOn);
    }

    [Fact]
    public void The_dockerfile_has_the_targets_compose_builds()
    {
        var dockerfile = File.ReadAllText(FixtureFiles.InRepository("Dockerfile"));

        foreach (var name in new[] { "extproc", "ratelimit", "mock-provider" })
        {
            var target = Scalar(Node(Service(name), "build"), "target");
            Assert.Contains($" AS {target}\n", dockerfile, StringComparison.Ordinal);
        }
    }

    private static YamlNode ExtProcCluster() =>
        ((YamlSequenceNode)Node(Envoy, "static_resources", "clusters")).Children.Single(c => Scalar(c, "name") == "aigw_extproc");

    private static bool ServiceExists(string name) => ((YamlMappingNode)Node(Compose, "services")).Children.ContainsKey(new YamlScalarNode(name));

    private static YamlNode Service(string name) => Node(Compose, "services", name);

    private static YamlMappingNode Load(string relative) => (YamlMappingNode)Parse(File.ReadAllText(FixtureFiles.InRepository(relative)));

    private static string Scalar(YamlNode node, params object[] path) => YamlPath.Scalar(node, path)!;

    private static List<string> List(YamlNode node, string key) => Strings(node, key);
}

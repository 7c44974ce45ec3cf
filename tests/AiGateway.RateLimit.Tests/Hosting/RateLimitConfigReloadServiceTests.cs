using AiGateway.RateLimit.Tests.Support;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace AiGateway.RateLimit.Tests.Hosting;

public sealed class RateLimitConfigReloadServiceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aigw-rl-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string name, uint limit) => File.WriteAllText(
        Path.Combine(_directory, name),
        $"domain: gateway\ndescriptors:\n  - key: user\n    rate_limit:\n      unit: hour\n      requests_per_unit: {limit}\n");

    private static RateLimitRequest Request()
    {
        var descriptor = new RateLimitDescriptor();
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "user", Value = "alice" });
        var request = new RateLimitRequest { Domain = "gateway" };
        request.Descriptors.Add(descriptor);
        return request;
    }

    [Fact]
    public async Task Puts_a_changed_directory_into_service()
    {
        Write("limits.yaml", 5);
        await using var server = await RateLimitTestServer.StartAsync(_directory);

        Write("limits.yaml", 50);
        var reloaded = server.Reloader.Check();
        var response = await server.Client.ShouldRateLimitAsync(Request());

        Assert.True(reloaded);
        Assert.Equal(50u, response.Statuses[0].CurrentLimit.RequestsPerUnit);
        Assert.Equal(2, PrometheusText.Value(await server.MetricsAsync(), "ratelimit_service_config_load_success_total"));
    }

    [Fact]
    public async Task Keeps_the_last_good_config_when_a_change_is_bad_and_counts_the_error()
    {
        Write("limits.yaml", 5);
        await using var server = await RateLimitTestServer.StartAsync(_directory);

        File.WriteAllText(Path.Combine(_directory, "broken.yaml"), "domain: gateway\ndescriptors:\n  - key: team\n    rate_limit: { unit: fortnight }\n");
        var reloaded = server.Reloader.Check();
        var response = await server.Client.ShouldRateLimitAsync(Request());

        Assert.False(reloaded);
        Assert.Equal((Code.Ok, 5u), (response.OverallCode, response.Statuses[0].CurrentLimit.RequestsPerUnit));
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "ratelimit_service_config_load_error_total"));
        Assert.Contains(server.Logs.Errors, e => e.Message.Contains("broken.yaml: invalid rate limit unit 'fortnight'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Does_nothing_while_the_files_are_unchanged()
    {
        Write("limits.yaml", 5);
        await using var server = await RateLimitTestServer.StartAsync(_directory);

        Assert.False(server.Reloader.Check());
    }
}

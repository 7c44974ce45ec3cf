using AiGateway.Cli.Commands;
using AiGateway.TestKit;

namespace AiGateway.Cli.Tests.Commands;

public sealed class ValidateCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AigwCommand.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Exits_0_for_a_valid_file_and_prints_its_warnings()
    {
        var path = FixtureFiles.Path("valid.yaml");

        var (exit, output, error) = await RunAsync("validate", "--config", path);

        Assert.Equal(0, exit);
        Assert.Contains("OK (1 providers, 1 models, 1 warnings)", output, StringComparison.Ordinal);
        Assert.Contains("providers[0].max_requests_per_minute: 'max_requests_per_minute' is not supported yet", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_1_and_prints_every_error_with_its_yaml_path()
    {
        var (exit, _, error) = await RunAsync("validate", "--config", FixtureFiles.Path("invalid.yaml"));

        Assert.Equal(1, exit);
        Assert.Contains("invalid.yaml:6: error: providers[0].priority:", error, StringComparison.Ordinal);
        Assert.Contains("invalid.yaml:11: error: routing.retry_delay:", error, StringComparison.Ordinal);
        Assert.Contains("invalid (7 errors)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validates_the_shipped_sample_configuration()
    {
        var (exit, _, error) = await RunAsync("validate", "--config", FixtureFiles.InRepository("envoy/gateway.yaml"));

        Assert.True(exit == 0, error);
    }

    [Fact]
    public async Task Fails_without_a_config_option()
    {
        var (exit, _, error) = await RunAsync("validate");

        Assert.NotEqual(0, exit);
        Assert.Contains("--config", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_0_for_a_valid_rate_limit_directory()
    {
        var (exit, output, error) = await RunAsync("validate", "--ratelimit", FixtureFiles.Path("ratelimit", "valid"));

        Assert.True(exit == 0, error);
        Assert.Contains("OK (1 files, 1 domains, 2 rules)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_1_and_prints_every_rate_limit_error_with_its_file()
    {
        var (exit, _, error) = await RunAsync("validate", "--ratelimit", FixtureFiles.Path("ratelimit", "invalid"));

        Assert.Equal(1, exit);
        Assert.Contains("a.yaml: invalid rate limit unit 'fortnight'", error, StringComparison.Ordinal);
        Assert.Contains("b.yaml: config error, unknown key 'ratelimit'", error, StringComparison.Ordinal);
        Assert.Contains("invalid (2 errors)", error, StringComparison.Ordinal);
    }
}

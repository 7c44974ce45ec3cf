using AiGateway.MockProvider.Hosting;

namespace AiGateway.MockProvider.Tests.Hosting;

public sealed class MockProviderCommandLineTests
{
    [Theory]
    [InlineData("--config mock.yaml --urls http://0.0.0.0:8080")]
    [InlineData("--urls http://0.0.0.0:8080 --config=mock.yaml")]
    public void Takes_the_config_option_out_and_passes_the_rest_to_the_host(string commandLine)
    {
        // Arrange
        var args = commandLine.Split(' ');

        // Act
        var (path, remaining, error) = MockProviderCommandLine.SplitConfigArgument(args);

        // Assert
        Assert.Null(error);
        Assert.Equal("mock.yaml", path);
        Assert.Equal(["--urls", "http://0.0.0.0:8080"], remaining);
    }

    [Fact]
    public void A_config_option_without_a_path_is_an_error()
    {
        // Act
        var (_, _, error) = MockProviderCommandLine.SplitConfigArgument(["--config"]);

        // Assert
        Assert.NotNull(error);
    }
}

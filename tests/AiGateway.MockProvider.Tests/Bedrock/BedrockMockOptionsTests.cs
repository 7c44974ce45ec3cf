using AiGateway.MockProvider.Bedrock;
using AiGateway.MockProvider.Configuration;

namespace AiGateway.MockProvider.Tests.Bedrock;

public sealed class BedrockMockOptionsTests
{
    [Fact]
    public void Reads_access_keys_api_keys_and_region_from_the_environment()
    {
        var environment = new Dictionary<string, string>
        {
            [BedrockMockOptions.AccessKeysVariable] = "AKID1=secret/1, AKID2=s=2",
            [BedrockMockOptions.ApiKeysVariable] = "k1,k2",
            [BedrockMockOptions.RegionVariable] = "eu-west-1",
        };

        var options = MockConfigLoader.Load(null, n => environment.GetValueOrDefault(n), out var errors);

        Assert.Empty(errors);
        Assert.Equal("secret/1", options!.Bedrock.AccessKeys["AKID1"]);
        Assert.Equal("s=2", options.Bedrock.AccessKeys["AKID2"]);
        Assert.Equal(["k1", "k2"], options.Bedrock.ApiKeys);
        Assert.Equal("eu-west-1", options.Bedrock.Region);
        Assert.True(options.Bedrock.RequiresAuthentication);
    }

    [Fact]
    public void Reports_an_access_key_entry_without_a_secret()
    {
        var options = MockConfigLoader.Load(null, n => n == BedrockMockOptions.AccessKeysVariable ? "AKID1" : null, out var errors);

        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith(BedrockMockOptions.AccessKeysVariable, StringComparison.Ordinal));
    }

    [Fact]
    public void Accepts_any_request_when_nothing_is_configured() =>
        Assert.False(new MockProviderOptions().Bedrock.RequiresAuthentication);
}

using AiGateway.Core.Pricing;

namespace AiGateway.Core.Tests.Pricing;

public sealed class DefaultPricesTests
{
    [Fact]
    public void Loads_the_shipped_price_list_for_every_priced_provider_type()
    {
        Assert.Equal(["anthropic", "aws-bedrock", "gemini", "openai", "watsonx"], DefaultPrices.Lists.Keys.Order(StringComparer.Ordinal));
        Assert.All(DefaultPrices.Lists.Values, list => Assert.NotEmpty(list.Models));
    }

    [Theory]
    [InlineData("openai", "gpt-4o", "gpt-4o")]
    [InlineData("openai", "gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("openai", "gpt-4-0613", "gpt-4")]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("aws-bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic.claude-3-5-haiku")]
    [InlineData("aws-bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5")]
    [InlineData("aws-bedrock", "amazon.nova-pro-v1:0", "amazon.nova-pro-v1")]
    [InlineData("gemini", "gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash")]
    public void Finds_a_model_by_exact_name_dated_suffix_or_cross_region_prefix(string type, string model, string listed)
    {
        var list = DefaultPrices.Lists[type];

        Assert.True(list.TryFind(model, out var price));
        Assert.Same(list.Models[listed], price);
    }

    [Theory]
    [InlineData("openai", "gpt-4.5-preview")]
    [InlineData("openai", "gpt-4oo")]
    [InlineData("anthropic", "claude")]
    public void Does_not_guess_a_price_for_names_that_only_share_characters(string type, string model)
    {
        Assert.False(DefaultPrices.Lists[type].TryFind(model, out _));
    }
}

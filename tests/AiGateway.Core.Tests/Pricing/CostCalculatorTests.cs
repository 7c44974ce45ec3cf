using System.Buffers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Pricing;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Pricing;

/// <summary>
/// One fixture per usage shape (<c>Pricing/&lt;case&gt;.cost.json</c>): a provider's answer is read by its
/// response translator, the normalised usage is checked, then priced with the shipped list.
/// </summary>
public sealed class CostCalculatorTests
{
    private static readonly TranslatorRegistry Translators = new(TranslatorRegistry.BuiltIn(new FakeTimeProvider()));

    public static TheoryData<string> Cases() => [.. FixtureFiles.Cases("Pricing", ".cost.json")];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prices_a_provider_answer_from_its_normalised_usage(string name)
    {
        // Arrange
        using var fixture = JsonDocument.Parse(FixtureFiles.Text("Pricing", name + ".cost.json"));
        var root = fixture.RootElement;
        var type = root.GetProperty("type").GetString()!;
        var model = root.GetProperty("model").GetString()!;
        Assert.True(ApiSchemaNames.TryParse(type, out var schema));
        Assert.True(Translators.TryGet(EndpointKind.ChatCompletions, schema, out var translator));
        var request = ClientRequestReader.Read(EndpointKind.ChatCompletions, Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[]}"""), out _)!;
        using var responses = translator.CreateResponseTranslator(request);
        responses.OnResponseHeaders(_ => null);
        responses.OnHeaders(200, "application/json", false);
        Assert.True(DefaultPrices.Lists[type].TryFind(model, out var price));

        // Act
        responses.OnBody(Encoding.UTF8.GetBytes(root.GetProperty("response").GetRawText()), true, new ArrayBufferWriter<byte>());
        var usage = responses.Usage;
        var cost = CostCalculator.RoundedMicroUsd(usage, price);

        // Assert
        var expected = root.GetProperty("usage");
        Assert.Equal(
            (expected.GetProperty("input").GetInt64(), expected.GetProperty("output").GetInt64(), expected.GetProperty("cached_input").GetInt64(),
                expected.GetProperty("cache_write_input").GetInt64(), expected.GetProperty("reasoning").GetInt64()),
            (usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, usage.CacheWriteInputTokens, usage.ReasoningTokens));
        Assert.Equal(root.GetProperty("cost_usd_micros").GetInt64(), cost);
    }

    [Fact]
    public void Prices_reasoning_and_cache_writes_at_their_own_prices_when_set()
    {
        var price = ModelPrice.FromUsdPerToken(0.000001m, 0.000002m, 0.0000001m, 0.0000015m, 0.000005m);
        var usage = new TokenUsage(1000, 100, 1100, 200, true) { CacheWriteInputTokens = 300, ReasoningTokens = 40 };

        // 500 x 1 + 200 x 0.1 + 300 x 1.5 + 60 x 2 + 40 x 5
        Assert.Equal(1290m, CostCalculator.MicroUsd(usage, price));
    }

    [Fact]
    public void Clamps_sub_counts_that_exceed_their_totals()
    {
        var price = ModelPrice.FromUsdPerToken(0.000001m, 0.000002m, 0m, null, null);
        var usage = new TokenUsage(100, 10, 110, 500, true) { ReasoningTokens = 50 };

        Assert.Equal(10m * 2m, CostCalculator.MicroUsd(usage, price));
    }

    [Theory]
    [InlineData(0L, "0.000000")]
    [InlineData(6080L, "0.006080")]
    [InlineData(12_345_678L, "12.345678")]
    public void Formats_the_cost_header_in_usd_with_six_decimals(long micros, string expected)
    {
        Assert.Equal(expected, CostCalculator.FormatUsd(micros));
    }
}

using AiGateway.Core.Configuration;
using AiGateway.Core.Upstreams;

namespace AiGateway.Core.Tests.Upstreams;

public sealed class RateLimitHeaderParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static ProviderRateLimits Parse(ApiSchema schema, params (string Name, string Value)[] headers) =>
        RateLimitHeaderParser.Parse(schema, name => headers.FirstOrDefault(h => h.Name == name).Value, Now);

    [Fact]
    public void Reads_openai_headers_with_go_durations()
    {
        var limits = Parse(ApiSchema.OpenAi,
            ("x-ratelimit-remaining-requests", "59"), ("x-ratelimit-remaining-tokens", "149984"),
            ("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-reset-tokens", "6m0s"), ("retry-after", "2"));

        Assert.Equal(new ProviderRateLimits(59, 149984, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(2)), limits);
    }

    [Fact]
    public void Prefers_azure_retry_after_ms()
    {
        var limits = Parse(ApiSchema.AzureOpenAi, ("retry-after-ms", "1500"), ("retry-after", "2"), ("x-ratelimit-remaining-tokens", "0"));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), limits.RetryAfter);
        Assert.Equal(0, limits.RemainingTokens);
    }

    [Fact]
    public void Reads_anthropic_headers_with_rfc3339_reset_times()
    {
        var limits = Parse(ApiSchema.Anthropic,
            ("anthropic-ratelimit-requests-remaining", "0"), ("anthropic-ratelimit-requests-reset", "2026-11-23T12:00:30Z"),
            ("anthropic-ratelimit-tokens-remaining", "1000"), ("anthropic-ratelimit-tokens-reset", "2026-11-23T11:59:00Z"));

        Assert.Equal(new ProviderRateLimits(0, 1000, TimeSpan.FromSeconds(30), TimeSpan.Zero, null), limits);
    }

    [Fact]
    public void Reads_mistral_per_minute_names_and_an_http_date_retry_after()
    {
        var limits = Parse(ApiSchema.OpenAiCompatible,
            ("x-ratelimit-remaining-req-minute", "3"), ("x-ratelimit-remaining-tokens-minute", "500"), ("retry-after", "Mon, 23 Nov 2026 12:00:10 GMT"));

        Assert.Equal(new ProviderRateLimits(3, 500, null, null, TimeSpan.FromSeconds(10)), limits);
    }

    [Fact]
    public void Says_nothing_when_the_provider_sent_nothing_usable()
    {
        var limits = Parse(ApiSchema.OpenAi, ("x-ratelimit-remaining-requests", "-1"), ("x-ratelimit-reset-tokens", "soon"), ("retry-after", "later"));

        Assert.True(limits.IsEmpty);
    }

    [Theory]
    [InlineData("12ms", 0.012)]
    [InlineData("1h2m3.5s", 3723.5)]
    [InlineData("0s", 0)]
    [InlineData("7.66s", 7.66)]
    public void Parses_go_durations(string text, double seconds)
    {
        Assert.Equal(seconds, RateLimitHeaderParser.GoDuration(text)!.Value.TotalSeconds, 6);
    }
}

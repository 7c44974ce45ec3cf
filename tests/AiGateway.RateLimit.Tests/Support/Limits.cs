using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;

namespace AiGateway.RateLimit.Tests.Support;

/// <summary>Small builders for limiter tests.</summary>
public static class Limits
{
    public static RateLimitConfig Config(string yaml)
    {
        var result = new RateLimitConfigLoader().Load([new RateLimitConfigFile("test.yaml", yaml)]);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.Config;
    }

    public static RequestDescriptor Descriptor(params (string Key, string Value)[] entries) =>
        new(entries.Select(e => new DescriptorEntry(e.Key, e.Value)).ToArray());

    public static RequestDescriptor Descriptor(ulong? hitsAddend, bool negative, params (string Key, string Value)[] entries) =>
        new(entries.Select(e => new DescriptorEntry(e.Key, e.Value)).ToArray(), null, hitsAddend, negative);

    public static LimitRequest Request(string domain, params RequestDescriptor[] descriptors) => new(domain, descriptors);
}

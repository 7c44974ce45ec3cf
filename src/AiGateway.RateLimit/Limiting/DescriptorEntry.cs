namespace AiGateway.RateLimit.Limiting;

/// <summary>One key/value entry of a request descriptor.</summary>
/// <param name="Key">The entry key, e.g. <c>user</c>.</param>
/// <param name="Value">The entry value, e.g. <c>alice</c>.</param>
public readonly record struct DescriptorEntry(string Key, string Value);

namespace AiGateway.RateLimit.Configuration;

/// <summary>One config file's name and text, before parsing.</summary>
/// <param name="Name">The name errors are reported under (the file name within the config directory).</param>
/// <param name="Text">The YAML text.</param>
public sealed record RateLimitConfigFile(string Name, string Text);

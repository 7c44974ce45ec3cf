namespace AiGateway.RateLimit.Configuration;

/// <summary>One reason a rate-limit config file did not load, worded as the reference service words it.</summary>
/// <param name="FileName">The file's name as listed in the config directory.</param>
/// <param name="Message">What is wrong, e.g. <c>invalid rate limit unit 'foo'</c>.</param>
public sealed record RateLimitConfigError(string FileName, string Message)
{
    /// <summary><c>file.yaml: message</c>, the reference service's format.</summary>
    public override string ToString() => $"{FileName}: {Message}";
}

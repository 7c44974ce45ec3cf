namespace AiGateway.RateLimit.Configuration;

/// <summary>The outcome of loading a set of config files: a configuration, or every error found.</summary>
/// <param name="Config">The loaded configuration; null when any file failed.</param>
/// <param name="Errors">Every problem, each with its file name.</param>
/// <param name="FileCount">How many files were read.</param>
public sealed record RateLimitConfigLoadResult(RateLimitConfig? Config, IReadOnlyList<RateLimitConfigError> Errors, int FileCount)
{
    /// <summary>True when the configuration loaded.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null;
}

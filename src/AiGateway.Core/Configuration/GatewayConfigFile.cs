namespace AiGateway.Core.Configuration;

/// <summary>gateway.yaml as written: plain DTOs, filled by <see cref="GatewayConfigFileReader"/>.</summary>
public sealed class GatewayConfigFile
{
    /// <summary>The file these DTOs came from.</summary>
    public required string FileName { get; init; }

    /// <summary><c>providers</c>; null when the key is absent.</summary>
    public List<ProviderConfigFile>? Providers { get; set; }

    /// <summary><c>routing</c>; null when the key is absent.</summary>
    public RoutingConfigFile? Routing { get; set; }

    /// <summary>1-based line of each YAML path that was read.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    /// <summary>The line of a YAML path, or of its nearest parent that has one.</summary>
    public int? LineOf(string path)
    {
        while (true)
        {
            if (Lines.TryGetValue(path, out var line))
            {
                return line;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return null;
            }

            path = path[..cut];
        }
    }
}

/// <summary>One entry of <c>providers</c>.</summary>
public sealed class ProviderConfigFile
{
    /// <summary><c>name</c>.</summary>
    public string? Name { get; set; }

    /// <summary><c>type</c>.</summary>
    public string? Type { get; set; }

    /// <summary><c>endpoint</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>api_key</c>, after <c>${ENV}</c> substitution.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>models</c>.</summary>
    public List<string?>? Models { get; set; }

    /// <summary><c>priority</c>: lower numbers are tried first.</summary>
    public int? Priority { get; set; }

    /// <summary><c>api_version</c> (Azure OpenAI deployment URLs).</summary>
    public string? ApiVersion { get; set; }

    /// <summary><c>deployments</c>: model name to deployment name (Azure OpenAI).</summary>
    public Dictionary<string, string?>? Deployments { get; set; }
}

/// <summary>The <c>routing</c> section.</summary>
public sealed class RoutingConfigFile
{
    /// <summary><c>strategy</c>: priority, round-robin or least-latency.</summary>
    public string? Strategy { get; set; }

    /// <summary><c>fallback_enabled</c>.</summary>
    public bool? FallbackEnabled { get; set; }

    /// <summary><c>fallback_on_errors</c>.</summary>
    public List<string?>? FallbackOnErrors { get; set; }

    /// <summary><c>retry_attempts</c>.</summary>
    public int? RetryAttempts { get; set; }

    /// <summary><c>retry_delay</c>, e.g. <c>1s</c>.</summary>
    public string? RetryDelay { get; set; }
}

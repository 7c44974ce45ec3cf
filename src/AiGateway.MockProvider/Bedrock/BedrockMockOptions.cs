namespace AiGateway.MockProvider.Bedrock;

/// <summary>
/// What the mock's Bedrock endpoints (<c>{prefix}/model/{id}/converse|converse-stream|invoke</c>) accept.
/// With no access key and no API key configured, any request is accepted; otherwise each request must
/// carry a SigV4 signature the mock can recompute with a configured secret, or a configured Bedrock API
/// key as <c>Authorization: Bearer</c>.
/// </summary>
public sealed class BedrockMockOptions
{
    /// <summary>Environment variable: <c>AKID=secret[,AKID2=secret2]</c>.</summary>
    public const string AccessKeysVariable = "MOCK_AWS_ACCESS_KEYS";

    /// <summary>Environment variable: <c>key1[,key2]</c>.</summary>
    public const string ApiKeysVariable = "MOCK_BEDROCK_API_KEYS";

    /// <summary>Environment variable: the only signing region accepted (any when unset).</summary>
    public const string RegionVariable = "MOCK_AWS_REGION";

    /// <summary>The largest clock difference a signature may have, as AWS's SigV4 guide states.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Access key id to secret access key.</summary>
    public IReadOnlyDictionary<string, string> AccessKeys { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Bedrock API keys accepted as bearer tokens.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>The signing region required in the credential scope; any region when null.</summary>
    public string? Region { get; init; }

    /// <summary>True when requests must authenticate.</summary>
    public bool RequiresAuthentication => AccessKeys.Count > 0 || ApiKeys.Count > 0;

    /// <summary>Reads the <c>MOCK_AWS_*</c> / <c>MOCK_BEDROCK_*</c> variables; problems name the variable.</summary>
    internal static BedrockMockOptions FromEnvironment(Func<string, string?> environment, List<string> problems)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in (environment(AccessKeysVariable) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == entry.Length - 1)
            {
                problems.Add($"{AccessKeysVariable}: expected '<access key id>=<secret>' entries separated by ',', got an entry without '='");
                continue;
            }

            keys[entry[..equals]] = entry[(equals + 1)..];
        }

        return new BedrockMockOptions
        {
            AccessKeys = keys,
            ApiKeys = [.. (environment(ApiKeysVariable) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Region = environment(RegionVariable) is { Length: > 0 } region ? region : null,
        };
    }
}

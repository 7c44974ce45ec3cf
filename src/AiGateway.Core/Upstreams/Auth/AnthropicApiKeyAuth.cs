using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Auth;

/// <summary>Anthropic's first-party auth: <c>x-api-key</c> plus the API version header.</summary>
public static class AnthropicApiKeyAuth
{
    /// <summary>The <c>anthropic-version</c> the translators are written against.</summary>
    public const string Version = "2023-06-01";

    /// <summary>Adds the key (when configured) and the version header.</summary>
    public static void Apply(ProviderDefinition provider, List<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(headers);
        if (!provider.ApiKey.IsEmpty)
        {
            headers.Add(new("x-api-key", provider.ApiKey.Reveal()));
        }

        headers.Add(new("anthropic-version", Version));
    }
}

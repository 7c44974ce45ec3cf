using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Auth;

/// <summary>The Gemini API's (AI Studio) key auth: <c>x-goog-api-key: &lt;key&gt;</c>, never in the query string.</summary>
public static class GeminiApiKeyAuth
{
    /// <summary>Adds the header when the provider has a key.</summary>
    public static void Apply(ProviderDefinition provider, List<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(headers);
        if (!provider.ApiKey.IsEmpty)
        {
            headers.Add(new("x-goog-api-key", provider.ApiKey.Reveal()));
        }
    }
}

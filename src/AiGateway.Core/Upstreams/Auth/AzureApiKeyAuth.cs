using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Auth;

/// <summary>Azure OpenAI key auth: <c>api-key: &lt;key&gt;</c> (no Bearer).</summary>
public static class AzureApiKeyAuth
{
    /// <summary>Adds the header when the provider has a key.</summary>
    public static void Apply(ProviderDefinition provider, List<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(headers);
        if (!provider.ApiKey.IsEmpty)
        {
            headers.Add(new("api-key", provider.ApiKey.Reveal()));
        }
    }
}

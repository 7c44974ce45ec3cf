using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Auth;

/// <summary><c>Authorization: Bearer &lt;api key&gt;</c>, as OpenAI and OpenAI-compatible servers expect.</summary>
public static class BearerApiKeyAuth
{
    /// <summary>Adds the header when the provider has a key (local servers such as vLLM may have none).</summary>
    public static void Apply(ProviderDefinition provider, List<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(headers);
        if (!provider.ApiKey.IsEmpty)
        {
            headers.Add(new("authorization", "Bearer " + provider.ApiKey.Reveal()));
        }
    }
}

using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Auth;

/// <summary>
/// Azure OpenAI key auth: <c>api-key: &lt;key&gt;</c> (no Bearer). A provider with <c>auth.type: azure-entra</c>
/// sends its Entra ID bearer token instead (the credentials step adds it) and never an api-key as well.
/// </summary>
public static class AzureApiKeyAuth
{
    /// <summary>Adds the header when the provider authenticates with a key and has one.</summary>
    public static void Apply(ProviderDefinition provider, List<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(headers);
        if (provider.Auth.Kind == ProviderAuthKind.ApiKey && !provider.ApiKey.IsEmpty)
        {
            headers.Add(new("api-key", provider.ApiKey.Reveal()));
        }
    }
}

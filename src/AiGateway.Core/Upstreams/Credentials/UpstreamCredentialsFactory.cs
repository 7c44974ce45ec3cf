using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>Builds the credentials of providers whose auth is more than an API key.</summary>
/// <param name="http">Sends token requests (to IAM, Entra ID, Google).</param>
/// <param name="time">Clock and timers.</param>
/// <param name="onFailure">Told each failed token fetch: provider name and a safe message.</param>
public sealed class UpstreamCredentialsFactory
{
    /// <summary>
    /// Service key of an optional <see cref="HttpClient"/> for token requests (e.g. one that trusts a private
    /// CA); without one, the host creates its own.
    /// </summary>
    public const string HttpClientKey = "aigw-credentials";

    private readonly Dictionary<ProviderAuthKind, Func<ProviderDefinition, IUpstreamCredentials>> _builders = [];
    private readonly HttpClient http;
    private readonly TimeProvider time;
    private readonly Action<string, string>? onFailure;

    /// <summary>Creates the factory with a builder for each auth kind this build implements.</summary>
    public UpstreamCredentialsFactory(HttpClient http, TimeProvider time, Action<string, string>? onFailure = null)
    {
        this.http = http ?? throw new ArgumentNullException(nameof(http));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.onFailure = onFailure;

        // One line per auth kind: _builders[kind] = provider => ...;
        _builders[ProviderAuthKind.IbmIam] = provider => Bearer(provider, new IbmIamTokenSource(http, provider.Auth.TokenUrl ?? ProviderAuth.DefaultIbmIamTokenUrl, provider.ApiKey, time));
        _builders[ProviderAuthKind.AwsSigV4] = provider => Aws.AwsSigV4Credentials.For(provider, time);
        _builders[ProviderAuthKind.AzureEntra] = provider => Bearer(provider, new AzureEntraTokenSource(provider.Auth, http));
        _builders[ProviderAuthKind.GcpServiceAccount] = provider => Bearer(provider, new GcpServiceAccountTokenSource(provider.Auth, http, time));
    }

    /// <summary>The HTTP client for token requests.</summary>
    public HttpClient Http => http;

    /// <summary>The clock.</summary>
    public TimeProvider Time => time;

    /// <summary>Credentials for <paramref name="provider"/>, or null when its API key (if any) is applied by its translator.</summary>
    public IUpstreamCredentials? Create(ProviderDefinition provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.Auth.Kind switch
        {
            ProviderAuthKind.ApiKey => null,
            var kind when _builders.TryGetValue(kind, out var build) => build(provider),
            var kind => new UnavailableCredentials($"auth type {ProviderAuth.NameOf(kind)} is not implemented in this build"),
        };
    }

    /// <summary>A bearer credential refreshed in the background from <paramref name="source"/>.</summary>
    public IUpstreamCredentials Bearer(ProviderDefinition provider, IAccessTokenSource source)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new BearerTokenCredentials(new RefreshingAccessToken(source, time, message => onFailure?.Invoke(provider.Name, message)));
    }
}

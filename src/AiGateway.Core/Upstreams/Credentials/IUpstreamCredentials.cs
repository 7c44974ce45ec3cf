namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>
/// Credentials that are more than a static API key: signatures over the final request (AWS SigV4) or
/// bearer tokens fetched and refreshed in the background (Entra ID, Google OAuth, IBM IAM). Applied per
/// attempt after translation. Implementations are thread-safe and never block on the network when a
/// valid token is cached.
/// </summary>
public interface IUpstreamCredentials : IDisposable
{
    /// <summary>Adds the credential headers for one attempt to <paramref name="headers"/>.</summary>
    /// <param name="attempt">The attempt as it will be sent.</param>
    /// <param name="headers">Receives headers to set (lower-case names).</param>
    /// <param name="cancellationToken">Cancels waiting for a first token.</param>
    ValueTask<CredentialResult> ApplyAsync(UpstreamAttempt attempt, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken);

    /// <summary>
    /// The provider refused these credentials (HTTP 401) on a request that started at
    /// <paramref name="requestStartedAt"/>: fetch new ones now rather than at the planned refresh. Does
    /// nothing by default (credentials made per attempt, such as signatures, have nothing to refresh).
    /// </summary>
    /// <returns>True when a refresh was started.</returns>
    bool RefreshNow(DateTimeOffset requestStartedAt) => false;
}

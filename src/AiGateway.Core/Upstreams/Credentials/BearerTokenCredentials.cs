namespace AiGateway.Core.Upstreams.Credentials;

/// <summary><c>Authorization: Bearer &lt;token&gt;</c> from a background-refreshed token.</summary>
public sealed class BearerTokenCredentials(RefreshingAccessToken token) : IUpstreamCredentials
{
    /// <summary>The token holder (tests read its counters).</summary>
    public RefreshingAccessToken Token => token;

    /// <inheritdoc />
    public ValueTask<CredentialResult> ApplyAsync(UpstreamAttempt attempt, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (token.TryGetCurrent(out var value))
        {
            headers.Add(new("authorization", "Bearer " + value));
            return ValueTask.FromResult(CredentialResult.Ok);
        }

        return Slow(headers, cancellationToken);
    }

    /// <inheritdoc />
    public bool RefreshNow(DateTimeOffset requestStartedAt) => token.RefreshNow(requestStartedAt);

    /// <inheritdoc />
    public void Dispose() => token.Dispose();

    private async ValueTask<CredentialResult> Slow(List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var (value, error) = await token.GetAsync(cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            return CredentialResult.Failed(error!);
        }

        headers.Add(new("authorization", "Bearer " + value));
        return CredentialResult.Ok;
    }
}

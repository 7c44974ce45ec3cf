namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>Credentials that cannot be built (e.g. an unreadable key file): every attempt fails with the reason.</summary>
public sealed class UnavailableCredentials(string reason) : IUpstreamCredentials
{
    /// <inheritdoc />
    public ValueTask<CredentialResult> ApplyAsync(UpstreamAttempt attempt, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CredentialResult.Failed(reason));

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

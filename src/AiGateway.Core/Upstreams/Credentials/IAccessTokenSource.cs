namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>Fetches a new access token from an identity provider (one network exchange per call).</summary>
public interface IAccessTokenSource
{
    /// <summary>Short name of the issuer for messages, e.g. <c>IBM Cloud IAM</c>.</summary>
    string Issuer { get; }

    /// <summary>Fetches a fresh token.</summary>
    /// <exception cref="CredentialException">The issuer refused or could not be reached; the message is safe to show.</exception>
    Task<AccessToken> FetchAsync(CancellationToken cancellationToken);
}

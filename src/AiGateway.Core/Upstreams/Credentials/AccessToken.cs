using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>A bearer token and when it expires.</summary>
/// <param name="Value">The token; never logged.</param>
/// <param name="ExpiresOn">Expiry as reported by the issuer.</param>
public sealed record AccessToken(Secret Value, DateTimeOffset ExpiresOn);

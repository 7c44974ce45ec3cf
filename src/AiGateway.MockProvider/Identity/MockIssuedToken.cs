namespace AiGateway.MockProvider.Identity;

/// <summary>An access token the mock's identity endpoints issued.</summary>
/// <param name="Issuer"><see cref="IssuedTokens.Entra"/> or <see cref="IssuedTokens.Google"/>.</param>
/// <param name="Subject">The client id (Entra) or service-account email (Google).</param>
/// <param name="Scope">The scope it was issued for.</param>
/// <param name="Value">The opaque token.</param>
/// <param name="ExpiresOn">When the mock stops accepting it.</param>
public sealed record MockIssuedToken(string Issuer, string Subject, string Scope, string Value, DateTimeOffset ExpiresOn);

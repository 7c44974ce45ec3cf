namespace AiGateway.MockProvider.Identity;

/// <summary>A Google service account the mock token endpoint accepts JWT assertions from.</summary>
/// <param name="ClientEmail">The account's email: the assertion's <c>iss</c>.</param>
/// <param name="PublicKeyPem">The account key's RSA public key (PEM) that verifies the assertion's RS256 signature.</param>
public sealed record MockServiceAccount(string ClientEmail, string PublicKeyPem);

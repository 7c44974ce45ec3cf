namespace AiGateway.MockProvider.Identity;

/// <summary>An application the mock Entra ID token endpoint accepts (client-credentials grant).</summary>
/// <param name="TenantId">The tenant in the token path, <c>/{tenant}/oauth2/v2.0/token</c>.</param>
/// <param name="ClientId">The application (client) id.</param>
/// <param name="ClientSecret">The secret it must present.</param>
public sealed record MockEntraClient(string TenantId, string ClientId, string ClientSecret);

using System.Text.Json.Serialization;

namespace AiGateway.MockProvider.Identity;

/// <summary>An <c>entra_clients</c> entry of the config file; see <see cref="MockEntraClient"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class MockEntraClientConfig
{
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public MockEntraClient ToClient() => new(TenantId ?? string.Empty, ClientId ?? string.Empty, ClientSecret ?? string.Empty);
}

/// <summary>A <c>google_service_accounts</c> entry of the config file; see <see cref="MockServiceAccount"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class MockServiceAccountConfig
{
    public string? ClientEmail { get; set; }

    /// <summary>The RSA public key in PEM (e.g. <c>openssl rsa -in key.pem -pubout</c>).</summary>
    public string? PublicKey { get; set; }

    public MockServiceAccount ToAccount() => new(ClientEmail ?? string.Empty, PublicKey ?? string.Empty);
}

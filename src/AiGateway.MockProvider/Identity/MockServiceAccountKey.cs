using System.Security.Cryptography;
using System.Text.Json;

namespace AiGateway.MockProvider.Identity;

/// <summary>
/// A freshly generated service-account key for tests: the <see cref="MockServiceAccount"/> to configure in
/// the mock and the key file JSON (Google's format) a client signs its assertions with.
/// </summary>
public sealed class MockServiceAccountKey : IDisposable
{
    private readonly RSA _key;

    private MockServiceAccountKey(string clientEmail, RSA key)
    {
        _key = key;
        Account = new MockServiceAccount(clientEmail, key.ExportSubjectPublicKeyInfoPem());
        KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
    }

    /// <summary>What the mock's Google token endpoint must be configured with.</summary>
    public MockServiceAccount Account { get; }

    /// <summary>The key's id (<c>private_key_id</c>).</summary>
    public string KeyId { get; }

    /// <summary>The private key, PKCS#8 PEM, as Google writes it.</summary>
    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>Generates a 2048-bit RSA key for <paramref name="clientEmail"/>.</summary>
    public static MockServiceAccountKey Generate(string clientEmail) => new(clientEmail, RSA.Create(2048));

    /// <summary>The key file as <c>gcloud iam service-accounts keys create</c> writes it, pointing at <paramref name="tokenUri"/>.</summary>
    public string KeyFileJson(Uri tokenUri, string projectId = "mock-project")
    {
        ArgumentNullException.ThrowIfNull(tokenUri);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = projectId,
            ["private_key_id"] = KeyId,
            ["private_key"] = PrivateKeyPem,
            ["client_email"] = Account.ClientEmail,
            ["client_id"] = "100000000000000000001",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = tokenUri.AbsoluteUri,
        });
    }

    /// <summary>Signs <paramref name="data"/> with RS256 (for hand-made assertions in tests).</summary>
    public byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}

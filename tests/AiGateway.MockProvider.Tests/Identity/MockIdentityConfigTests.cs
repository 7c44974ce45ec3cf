using AiGateway.MockProvider.Configuration;
using AiGateway.MockProvider.Identity;

namespace AiGateway.MockProvider.Tests.Identity;

/// <summary>The identity keys of the standalone mock's config file.</summary>
public sealed class MockIdentityConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mockid").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_entra_clients_service_accounts_token_prefixes_and_lifetime()
    {
        using var key = MockServiceAccountKey.Generate("sa@p.iam.gserviceaccount.com");
        var pem = string.Join("\n", key.Account.PublicKeyPem.Split('\n').Select(line => "      " + line));
        var path = Path.Combine(_directory, "mock.yaml");
        File.WriteAllText(path, $"""
            entra_clients:
              - tenant_id: t1
                client_id: app
                client_secret: s3cret
            google_service_accounts:
              - client_email: sa@p.iam.gserviceaccount.com
                public_key: |
            {pem}
            bearer_token_prefixes: [/entra/]
            token_lifetime_seconds: 600
            """);

        var options = MockConfigLoader.Load(path, _ => null, out var errors);

        Assert.Empty(errors);
        Assert.Equal([new MockEntraClient("t1", "app", "s3cret")], options!.EntraClients);
        Assert.Equal("sa@p.iam.gserviceaccount.com", Assert.Single(options.GoogleServiceAccounts).ClientEmail);
        Assert.Equal(["/entra/"], options.BearerTokenPrefixes);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IssuedTokenLifetime);
    }

    [Fact]
    public void Reports_incomplete_identity_entries()
    {
        var path = Path.Combine(_directory, "mock.json");
        File.WriteAllText(path, """{"entra_clients":[{"tenant_id":"t1"}],"google_service_accounts":[{"client_email":"a@b"}],"token_lifetime_seconds":0}""");

        MockConfigLoader.Load(path, _ => null, out var errors);

        Assert.Contains(errors, e => e.Contains("entra_clients[0]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("google_service_accounts[0]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("token_lifetime_seconds", StringComparison.Ordinal));
    }
}

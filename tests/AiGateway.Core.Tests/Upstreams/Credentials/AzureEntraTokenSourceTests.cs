using System.Collections.Frozen;
using AiGateway.Core.Configuration;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.MockProvider;
using AiGateway.MockProvider.Identity;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Upstreams.Credentials;

/// <summary>Azure.Identity against the mock's Entra ID endpoint, over TLS on loopback.</summary>
public sealed class AzureEntraTokenSourceTests : IAsyncLifetime
{
    private const string Tenant = "contoso";
    private const string ClientId = "gateway-app";
    private const string ClientSecret = "entra-client-secret-0123456789";
    private MockProviderServer _mock = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _mock = await MockProviderServer.StartAsync(new MockProviderOptions
        {
            EntraClients = [new MockEntraClient(Tenant, ClientId, ClientSecret)],
            IssuedTokenLifetime = TimeSpan.FromMinutes(2),
            ServeHttps = true,
        });
        _http = new HttpClient(_mock.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _mock.DisposeAsync();
    }

    private ProviderAuth Auth(string secret = ClientSecret, Uri? authority = null) => new()
    {
        Kind = ProviderAuthKind.AzureEntra,
        TenantId = Tenant,
        ClientId = ClientId,
        ClientSecret = new Secret(secret),
        AuthorityHost = authority ?? _mock.HttpsBaseAddress,
        Scope = ProviderAuth.DefaultAzureScope,
    };

    [Fact]
    public async Task Fetches_a_client_credentials_token_with_its_expiry()
    {
        var source = new AzureEntraTokenSource(Auth(), _http);

        var token = await source.FetchAsync(CancellationToken.None);

        var issued = Assert.Single(_mock.IssuedTokens.Snapshot());
        Assert.Equal(issued.Value, token.Value.Reveal());
        Assert.Equal((ClientId, ProviderAuth.DefaultAzureScope), (issued.Subject, issued.Scope));
        Assert.InRange(token.ExpiresOn, issued.ExpiresOn.AddSeconds(-30), issued.ExpiresOn.AddSeconds(30));
        var request = Assert.Single(_mock.Requests);
        Assert.Equal($"/{Tenant}/oauth2/v2.0/token", request.Path);
        Assert.Contains("grant_type=client_credentials", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_client_secret_is_a_credential_error_with_the_AADSTS_code_and_no_secret()
    {
        const string wrong = "wrong-secret-that-must-not-leak";
        var source = new AzureEntraTokenSource(Auth(wrong), _http);

        var error = await Assert.ThrowsAsync<CredentialException>(() => source.FetchAsync(CancellationToken.None));

        Assert.StartsWith($"Microsoft Entra ID refused client '{ClientId}' of tenant '{Tenant}' (HTTP 401 invalid_client): AADSTS7000215: Invalid client secret provided.", error.Message);
        Assert.DoesNotContain(wrong, error.Message);
        Assert.DoesNotContain(ClientSecret, error.Message);
        Assert.DoesNotContain("Trace ID", error.Message);
    }

    [Fact]
    public async Task An_unreachable_authority_is_a_credential_error()
    {
        var closed = new Uri($"https://127.0.0.1:{AiGateway.TestKit.FreePort.Next()}/");
        var source = new AzureEntraTokenSource(Auth(authority: closed), _http);

        var error = await Assert.ThrowsAsync<CredentialException>(() => source.FetchAsync(CancellationToken.None));

        Assert.StartsWith($"could not get a token from Microsoft Entra ID at {closed.Authority}", error.Message);
        Assert.DoesNotContain(ClientSecret, error.Message);
    }

    [Fact]
    public async Task Refreshing_token_fetches_a_new_token_before_the_old_one_expires()
    {
        // MSAL reads the real clock: start the fake one there so expiries line up.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var token = new RefreshingAccessToken(new AzureEntraTokenSource(Auth(), _http), time);
        var (first, _) = await token.GetAsync(CancellationToken.None);

        await Task.Delay(100);
        time.Advance(TimeSpan.FromSeconds(90));
        await WaitUntil(() => _mock.IssuedTokens.Snapshot().Count == 2 && token.TryGetCurrent(out var t) && t != first);

        Assert.True(token.TryGetCurrent(out var second));
        Assert.Equal(_mock.IssuedTokens.Snapshot()[1].Value, second);
        Assert.Equal(2, token.Fetches);
    }

    [Fact]
    public async Task The_factory_builds_bearer_credentials_for_azure_entra()
    {
        var factory = new UpstreamCredentialsFactory(_http, TimeProvider.System);
        var provider = new ProviderDefinition
        {
            Name = "azure-entra",
            Schema = ApiSchema.AzureOpenAi,
            Endpoint = new Uri("https://res.openai.azure.com"),
            Authority = "res.openai.azure.com",
            BasePath = string.Empty,
            ApiKey = Secret.Empty,
            Models = new[] { "gpt-4o" }.ToFrozenSet(),
            Priority = 1,
            Index = 0,
            IsSupported = true,
            Auth = Auth(),
        };
        using var credentials = factory.Create(provider);
        var headers = new List<KeyValuePair<string, string>>();

        var result = await credentials!.ApplyAsync(new UpstreamAttempt(provider, "POST", "/openai/v1/chat/completions", [], ReadOnlyMemory<byte>.Empty), headers, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal([new("authorization", "Bearer " + _mock.IssuedTokens.Snapshot()[0].Value)], headers);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}

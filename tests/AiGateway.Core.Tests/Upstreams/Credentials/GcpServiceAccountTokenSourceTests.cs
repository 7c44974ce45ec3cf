using AiGateway.Core.Configuration;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.MockProvider;
using AiGateway.MockProvider.Identity;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Upstreams.Credentials;

/// <summary>Google.Apis.Auth against the mock's Google token endpoint, which verifies the signed assertion.</summary>
public sealed class GcpServiceAccountTokenSourceTests : IAsyncLifetime
{
    private const string Email = "gateway@mock-project.iam.gserviceaccount.com";
    // One key for the class: RSA key generation is slow.
    private static readonly MockServiceAccountKey Key = MockServiceAccountKey.Generate(Email);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("aigw-gcp-");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private MockProviderServer _mock = null!;

    public async Task InitializeAsync() => _mock = await MockProviderServer.StartAsync(new MockProviderOptions
    {
        GoogleServiceAccounts = [Key.Account],
        IssuedTokenLifetime = TimeSpan.FromHours(1),
        TimeProvider = _time,
    });

    public async Task DisposeAsync()
    {
        await _mock.DisposeAsync();
        _http.Dispose();
        _directory.Delete(recursive: true);
    }

    private string KeyFile(string json, string name = "key.json")
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, json);
        return path;
    }

    private GcpServiceAccountTokenSource Source(string file) =>
        new(new ProviderAuth { Kind = ProviderAuthKind.GcpServiceAccount, CredentialsFile = file, Scope = ProviderAuth.DefaultGcpScope }, _http, _time);

    [Fact]
    public async Task Fetches_a_token_with_its_expiry_for_a_signed_assertion()
    {
        var source = Source(KeyFile(Key.KeyFileJson(_mock.GetUri("/token"))));

        var token = await source.FetchAsync(CancellationToken.None);

        var issued = Assert.Single(_mock.IssuedTokens.Snapshot());
        Assert.Equal(issued.Value, token.Value.Reveal());
        Assert.Equal((IssuedTokens.Google, Email, ProviderAuth.DefaultGcpScope), (issued.Issuer, issued.Subject, issued.Scope));
        Assert.Equal(_time.GetUtcNow().AddHours(1), token.ExpiresOn);
        Assert.Contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer", Assert.Single(_mock.Requests).BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_assertion_is_a_credential_error_with_googles_reason_and_no_key()
    {
        using var other = MockServiceAccountKey.Generate(Email);
        var source = Source(KeyFile(other.KeyFileJson(_mock.GetUri("/token"))));

        var error = await Assert.ThrowsAsync<CredentialException>(() => source.FetchAsync(CancellationToken.None));

        Assert.Equal($"Google OAuth at 127.0.0.1:{_mock.Port} refused service account '{Email}' (HTTP 400 invalid_grant): Invalid JWT Signature.", error.Message);
        Assert.Empty(_mock.IssuedTokens.Snapshot());
    }

    [Fact]
    public async Task A_missing_file_is_a_credential_error_naming_the_file()
    {
        var file = Path.Combine(_directory.FullName, "gone.json");

        var error = await Assert.ThrowsAsync<CredentialException>(() => Source(file).FetchAsync(CancellationToken.None));

        Assert.Equal($"cannot read service-account key file {file} (FileNotFoundException)", error.Message);
    }

    [Theory]
    [InlineData("{not json", "is not valid JSON")]
    [InlineData("""{"type":"authorized_user","client_id":"x"}""", "is invalid: its type is 'authorized_user', expected 'service_account'")]
    [InlineData("""{"type":"service_account","private_key":"k"}""", "is invalid: client_email is missing")]
    [InlineData("""{"type":"service_account","client_email":"a@b","private_key":"not a pem"}""", "is not a PEM-encoded RSA key")]
    public async Task An_invalid_key_file_is_a_credential_error_that_says_what_is_wrong(string json, string expected)
    {
        var file = KeyFile(json);

        var error = await Assert.ThrowsAsync<CredentialException>(() => Source(file).FetchAsync(CancellationToken.None));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(_mock.Requests);
    }

    [Fact]
    public async Task Refreshing_token_signs_a_new_assertion_before_the_old_token_expires()
    {
        using var token = new RefreshingAccessToken(Source(KeyFile(Key.KeyFileJson(_mock.GetUri("/token")))), _time);
        var (first, _) = await token.GetAsync(CancellationToken.None);

        await Task.Delay(100);
        _time.Advance(TimeSpan.FromMinutes(55));
        await WaitUntil(() => _mock.IssuedTokens.Snapshot().Count == 2 && token.TryGetCurrent(out var t) && t != first);

        Assert.True(token.TryGetCurrent(out var second));
        Assert.Equal(_mock.IssuedTokens.Snapshot()[1].Value, second);
        Assert.Equal(2, token.Fetches);
    }

    [Fact]
    public async Task The_factory_builds_bearer_credentials_that_fail_attempts_clearly_while_the_key_is_unusable()
    {
        var file = Path.Combine(_directory.FullName, "later.json");
        var factory = new UpstreamCredentialsFactory(_http, _time);
        var provider = Vertex(file);
        using var credentials = factory.Create(provider);
        var headers = new List<KeyValuePair<string, string>>();

        var failed = await credentials!.ApplyAsync(new UpstreamAttempt(provider, "POST", "/v1/x", [], ReadOnlyMemory<byte>.Empty), headers, CancellationToken.None);

        Assert.Equal($"cannot read service-account key file {file} (FileNotFoundException)", failed.Error);
        Assert.Empty(headers);

        KeyFile(Key.KeyFileJson(_mock.GetUri("/token")), "later.json");
        await Task.Delay(100);
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntil(() => ((BearerTokenCredentials)credentials).Token.TryGetCurrent(out _));
        var applied = await credentials.ApplyAsync(new UpstreamAttempt(provider, "POST", "/v1/x", [], ReadOnlyMemory<byte>.Empty), headers, CancellationToken.None);

        Assert.True(applied.Succeeded);
        Assert.Equal([new("authorization", "Bearer " + _mock.IssuedTokens.Snapshot()[0].Value)], headers);
    }

    private static ProviderDefinition Vertex(string file) => new()
    {
        Name = "vertex",
        Schema = ApiSchema.VertexAi,
        Endpoint = new Uri("https://us-central1-aiplatform.googleapis.com"),
        Authority = "us-central1-aiplatform.googleapis.com",
        BasePath = string.Empty,
        ApiKey = Secret.Empty,
        Models = System.Collections.Frozen.FrozenSet.ToFrozenSet(["gemini-2.5-flash"]),
        Priority = 1,
        Index = 0,
        IsSupported = true,
        Auth = new ProviderAuth { Kind = ProviderAuthKind.GcpServiceAccount, CredentialsFile = file, Scope = ProviderAuth.DefaultGcpScope },
    };

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}

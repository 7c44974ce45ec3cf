using System.Net;
using AiGateway.MockProvider.Identity;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Identity;

/// <summary>Provider endpoints accept the tokens the identity endpoints issued, and only those.</summary>
public sealed class BearerTokenPolicyTests
{
    private const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";
    private const string AzurePath = "/openai/deployments/mini/chat/completions?api-version=2024-10-21";

    private static MockProviderOptions Options(TimeProvider? time = null) => new()
    {
        EntraClients = [new MockEntraClient("t1", "app", "secret")],
        BearerTokenPrefixes = ["/entra/"],
        IssuedTokenLifetime = TimeSpan.FromMinutes(10),
        TimeProvider = time ?? TimeProvider.System,
    };

    private static async Task<string> IssueAsync(MockServerFixture mock)
    {
        using var response = await TokenRequests.EntraAsync(mock.Client, "t1", "app", "secret", mock.Ct);
        return (await TokenRequests.JsonAsync(response, mock.Ct)).GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task Azure_paths_accept_an_issued_token_in_place_of_an_api_key()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());
        var token = await IssueAsync(mock);

        using var response = await mock.PostJsonAsync(AzurePath, Chat, ("authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Azure_paths_refuse_a_bearer_token_the_mock_did_not_issue()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());

        using var response = await mock.PostJsonAsync(AzurePath, Chat, ("authorization", "Bearer forged-token"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Access token is missing, invalid", await response.Content.ReadAsStringAsync(mock.Ct));
    }

    [Fact]
    public async Task Azure_paths_refuse_an_api_key_and_a_bearer_token_together()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());
        var token = await IssueAsync(mock);

        using var response = await mock.PostJsonAsync(AzurePath, Chat, ("authorization", "Bearer " + token), ("api-key", "azure-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not both", await response.Content.ReadAsStringAsync(mock.Ct));
    }

    [Fact]
    public async Task Azure_paths_still_take_an_api_key_alone()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());

        using var response = await mock.PostJsonAsync(AzurePath, Chat, ("api-key", "azure-key"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Bearer_token_prefixes_demand_an_issued_token_and_take_no_api_key()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());
        var token = await IssueAsync(mock);
        const string path = "/entra" + AzurePath;

        using var withKey = await mock.PostJsonAsync(path, Chat, ("api-key", "azure-key"));
        using var withToken = await mock.PostJsonAsync(path, Chat, ("authorization", "Bearer " + token));
        using var onOtherPrefix = await mock.PostJsonAsync("/entra/v1/chat/completions", Chat, ("authorization", "Bearer sk-not-issued"));

        Assert.Equal(HttpStatusCode.Unauthorized, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, onOtherPrefix.StatusCode);
    }

    [Fact]
    public async Task Expired_tokens_are_refused()
    {
        var time = new SettableTimeProvider(DateTimeOffset.UtcNow);
        await using var mock = await MockServerFixture.StartAsync(Options(time));
        var token = await IssueAsync(mock);

        time.Now += TimeSpan.FromMinutes(11);
        using var response = await mock.PostJsonAsync(AzurePath, Chat, ("authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(mock.Ct));
        Assert.Equal(BearerCheck.Expired, mock.Server.IssuedTokens.Check("Bearer " + token));
    }

    [Fact]
    public void Issued_tokens_can_be_checked_by_issuer_for_other_endpoints()
    {
        var tokens = new IssuedTokens(TimeProvider.System);
        var google = tokens.Issue(IssuedTokens.Google, "sa@p.iam.gserviceaccount.com", "scope", TimeSpan.FromMinutes(5));

        Assert.Equal(BearerCheck.Accepted, tokens.Check("Bearer " + google.Value, IssuedTokens.Google));
        Assert.Equal(BearerCheck.Unknown, tokens.Check("Bearer " + google.Value, IssuedTokens.Entra));
        Assert.Equal(BearerCheck.Missing, tokens.Check(null));
        Assert.Equal(BearerCheck.Missing, tokens.Check("Basic abc"));
    }

    [Fact]
    public async Task Rejects_invalid_identity_options_listing_every_problem()
    {
        var options = new MockProviderOptions
        {
            EntraClients = [new MockEntraClient("a/b", "app", "")],
            GoogleServiceAccounts = [new MockServiceAccount("sa@p.iam.gserviceaccount.com", "not a pem")],
            BearerTokenPrefixes = ["entra"],
            IssuedTokenLifetime = TimeSpan.Zero,
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => MockProviderServer.StartAsync(options));

        Assert.Contains("token_lifetime_seconds", error.Message);
        Assert.Contains("entra_clients[0]", error.Message);
        Assert.Contains("google_service_accounts[0]", error.Message);
        Assert.Contains("bearer_token_prefixes['entra']", error.Message);
    }

    private sealed class SettableTimeProvider(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

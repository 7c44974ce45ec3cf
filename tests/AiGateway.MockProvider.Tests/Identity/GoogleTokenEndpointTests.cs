using System.Net;
using AiGateway.MockProvider.Identity;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Identity;

public sealed class GoogleTokenEndpointTests
{
    private const string Email = "gateway@mock-project.iam.gserviceaccount.com";

    // One key for the class: RSA key generation is slow.
    private static readonly MockServiceAccountKey Key = MockServiceAccountKey.Generate(Email);

    private MockProviderOptions Options() => new() { GoogleServiceAccounts = [Key.Account], IssuedTokenLifetime = TimeSpan.FromMinutes(45) };

    private static Uri Audience(MockServerFixture mock) => mock.Server.GetUri("/token");

    [Fact]
    public async Task Issues_a_token_for_an_assertion_signed_with_the_service_accounts_key()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());

        using var response = await TokenRequests.GoogleAsync(mock.Client, TokenRequests.Assertion(Key, TokenRequests.Claims(Key, Audience(mock), DateTimeOffset.UtcNow)), mock.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TokenRequests.JsonAsync(response, mock.Ct);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(2700, json.GetProperty("expires_in").GetInt32());
        var issued = Assert.Single(mock.Server.IssuedTokens.Snapshot());
        Assert.Equal(json.GetProperty("access_token").GetString(), issued.Value);
        Assert.Equal((IssuedTokens.Google, Email, TokenRequests.GoogleScope), (issued.Issuer, issued.Subject, issued.Scope));
    }

    [Fact]
    public async Task Accepts_googles_own_token_url_as_the_audience()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());

        using var response = await TokenRequests.GoogleAsync(mock.Client, TokenRequests.Assertion(Key, TokenRequests.Claims(Key, new Uri("https://oauth2.googleapis.com/token"), DateTimeOffset.UtcNow)), mock.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Rejects_an_assertion_signed_with_another_key()
    {
        // Key generation is slow on a busy machine: before the fixture's five-second clock starts.
        using var impostor = MockServiceAccountKey.Generate(Email);
        await using var mock = await MockServerFixture.StartAsync(Options());

        using var response = await TokenRequests.GoogleAsync(mock.Client, TokenRequests.Assertion(impostor, TokenRequests.Claims(impostor, Audience(mock), DateTimeOffset.UtcNow)), mock.Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await TokenRequests.JsonAsync(response, mock.Ct);
        Assert.Equal("invalid_grant", json.GetProperty("error").GetString());
        Assert.Equal("Invalid JWT Signature.", json.GetProperty("error_description").GetString());
        Assert.Empty(mock.Server.IssuedTokens.Snapshot());
    }

    public static TheoryData<string, string, string> BadClaims() => new()
    {
        { "iss", "someone-else@mock-project.iam.gserviceaccount.com", "Invalid grant: account not found" },
        { "aud", "https://accounts.example.com/token", "Invalid JWT: audience" },
        { "exp", "expired", "Invalid JWT: Token must be a short-lived token" },
        { "exp", "two-hours", "Invalid JWT: Token must be a short-lived token" },
        { "scope", "", "Invalid OAuth scope" },
    };

    [Theory]
    [MemberData(nameof(BadClaims))]
    public async Task Checks_issuer_audience_lifetime_and_scope(string claim, string value, string description)
    {
        await using var mock = await MockServerFixture.StartAsync(Options());
        var now = DateTimeOffset.UtcNow;
        var claims = TokenRequests.Claims(Key, Audience(mock), now);
        claims[claim] = (claim, value) switch
        {
            ("exp", "expired") => now.AddMinutes(-10).ToUnixTimeSeconds(),
            ("exp", _) => now.AddHours(2).ToUnixTimeSeconds(),
            _ => value,
        };
        if ((claim, value) == ("exp", "expired"))
        {
            claims["iat"] = now.AddMinutes(-70).ToUnixTimeSeconds();
        }

        using var response = await TokenRequests.GoogleAsync(mock.Client, TokenRequests.Assertion(Key, claims), mock.Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(description, (await TokenRequests.JsonAsync(response, mock.Ct)).GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Accepts_only_the_jwt_bearer_grant_with_an_rs256_assertion()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());
        var claims = TokenRequests.Claims(Key, Audience(mock), DateTimeOffset.UtcNow);

        using var grant = await TokenRequests.PostFormAsync(mock.Client, "/token", mock.Ct, ("grant_type", "client_credentials"), ("assertion", TokenRequests.Assertion(Key, claims)));
        using var hs256 = await TokenRequests.GoogleAsync(mock.Client, TokenRequests.Assertion(Key, claims, alg: "HS256"), mock.Ct);
        using var garbage = await TokenRequests.GoogleAsync(mock.Client, "not-a-jwt", mock.Ct);

        Assert.Equal("unsupported_grant_type", (await TokenRequests.JsonAsync(grant, mock.Ct)).GetProperty("error").GetString());
        Assert.StartsWith("Invalid JWT: unsupported algorithm", (await TokenRequests.JsonAsync(hs256, mock.Ct)).GetProperty("error_description").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Empty(mock.Server.IssuedTokens.Snapshot());
    }
}

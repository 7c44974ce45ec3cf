using System.Net;
using AiGateway.MockProvider.Identity;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Identity;

public sealed class EntraTokenEndpointTests
{
    private const string Tenant = "contoso-tenant";
    private const string ClientId = "gateway-app";
    private const string Secret = "entra-secret-value-123";

    private static MockProviderOptions Options(bool https = false) => new()
    {
        EntraClients = [new MockEntraClient(Tenant, ClientId, Secret)],
        IssuedTokenLifetime = TimeSpan.FromMinutes(30),
        ServeHttps = https,
    };

    [Fact]
    public async Task Issues_a_bearer_token_with_its_lifetime_for_the_right_client_secret()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());

        using var response = await TokenRequests.EntraAsync(mock.Client, Tenant, ClientId, Secret, mock.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store, no-cache", response.Headers.CacheControl?.ToString());
        var json = await TokenRequests.JsonAsync(response, mock.Ct);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(1800, json.GetProperty("expires_in").GetInt32());
        Assert.Equal(1800, json.GetProperty("ext_expires_in").GetInt32());
        var issued = Assert.Single(mock.Server.IssuedTokens.Snapshot());
        Assert.Equal(json.GetProperty("access_token").GetString(), issued.Value);
        Assert.Equal((IssuedTokens.Entra, ClientId, TokenRequests.Scope), (issued.Issuer, issued.Subject, issued.Scope));
        Assert.Equal("/contoso-tenant/oauth2/v2.0/token", Assert.Single(mock.Server.Requests).Path);
    }

    [Fact]
    public async Task Refuses_a_wrong_client_secret_with_AADSTS7000215_and_does_not_echo_it()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());

        using var response = await TokenRequests.EntraAsync(mock.Client, Tenant, ClientId, "wrong-secret-456", mock.Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);
        Assert.DoesNotContain("wrong-secret-456", body);
        var json = await TokenRequests.JsonAsync(response, mock.Ct);
        Assert.Equal("invalid_client", json.GetProperty("error").GetString());
        Assert.StartsWith("AADSTS7000215: Invalid client secret provided.", json.GetProperty("error_description").GetString());
        Assert.Contains("\r\nTrace ID: ", json.GetProperty("error_description").GetString());
        Assert.Equal(7000215, json.GetProperty("error_codes")[0].GetInt32());
        Assert.Empty(mock.Server.IssuedTokens.Snapshot());
    }

    [Theory]
    [InlineData("other-tenant", ClientId, 400, "invalid_request", 90002)]
    [InlineData(Tenant, "other-app", 400, "unauthorized_client", 700016)]
    public async Task Refuses_unknown_tenants_and_applications(string tenant, string clientId, int status, string error, int code)
    {
        await using var mock = await MockServerFixture.StartAsync(Options());

        using var response = await TokenRequests.EntraAsync(mock.Client, tenant, clientId, Secret, mock.Ct);

        Assert.Equal(status, (int)response.StatusCode);
        var json = await TokenRequests.JsonAsync(response, mock.Ct);
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.Equal(code, json.GetProperty("error_codes")[0].GetInt32());
    }

    [Fact]
    public async Task Accepts_only_the_client_credentials_grant_with_a_default_scope()
    {
        await using var mock = await MockServerFixture.StartAsync(Options());
        var path = $"/{Tenant}/oauth2/v2.0/token";

        using var password = await TokenRequests.PostFormAsync(mock.Client, path, mock.Ct, ("grant_type", "password"), ("client_id", ClientId));
        using var noSecret = await TokenRequests.PostFormAsync(mock.Client, path, mock.Ct, ("grant_type", "client_credentials"), ("client_id", ClientId), ("scope", TokenRequests.Scope));
        using var badScope = await TokenRequests.EntraAsync(mock.Client, Tenant, ClientId, Secret, mock.Ct, scope: "https://cognitiveservices.azure.com/user_impersonation");

        Assert.Equal(70003, (await TokenRequests.JsonAsync(password, mock.Ct)).GetProperty("error_codes")[0].GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, noSecret.StatusCode);
        Assert.Equal(7000218, (await TokenRequests.JsonAsync(noSecret, mock.Ct)).GetProperty("error_codes")[0].GetInt32());
        Assert.Equal("invalid_scope", (await TokenRequests.JsonAsync(badScope, mock.Ct)).GetProperty("error").GetString());
        Assert.Empty(mock.Server.IssuedTokens.Snapshot());
    }

    [Fact]
    public async Task Serves_the_token_endpoint_over_https_with_a_certificate_clients_can_pin()
    {
        await using var server = await MockProviderServer.StartAsync(Options(https: true));
        using var client = new HttpClient(server.CreateTrustingHandler()) { BaseAddress = server.HttpsBaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        using var response = await TokenRequests.EntraAsync(client, Tenant, ClientId, Secret, CancellationToken.None);

        Assert.Equal("https", server.HttpsBaseAddress!.Scheme);
        Assert.NotEqual(server.Port, server.HttpsBaseAddress.Port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.IssuedTokens.CountIssuedBy(IssuedTokens.Entra));
    }
}

using System.Net;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Identity;

/// <summary><c>POST /identity/token</c>: the mock IBM Cloud IAM's API-key exchange.</summary>
public sealed class IamTokenHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static Task<MockServerFixture> StartAsync(IReadOnlyList<string>? keys = null) =>
        MockServerFixture.StartAsync(new MockProviderOptions { IbmApiKeys = keys ?? [IbmCloud.ApiKey], TimeProvider = new FixedTimeProvider(Now) });

    [Fact]
    public async Task Exchanges_an_accepted_api_key_for_an_opaque_bearer_token_valid_for_an_hour()
    {
        // Arrange
        await using var mock = await StartAsync();

        // Act
        using var response = await IbmCloud.RequestTokenAsync(mock, $"grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey={IbmCloud.ApiKey}");
        var json = await IbmCloud.JsonAsync(response, mock);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("mock-iam-1-", json.GetProperty("access_token").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(3600, json.GetProperty("expires_in").GetInt64());
        Assert.Equal(Now.AddHours(1).ToUnixTimeSeconds(), json.GetProperty("expiration").GetInt64());
        Assert.Equal("not_supported", json.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task Refuses_an_unknown_key_with_iams_error_json_without_echoing_it()
    {
        await using var mock = await StartAsync();

        using var response = await IbmCloud.RequestTokenAsync(mock, "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=wrong-key-42");
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found.","context":{"requestId":"mock-iam-request-1","requestType":"incoming.Identity_Token"}}""", body);
        Assert.DoesNotContain("wrong-key-42", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apikey=k", "application/x-www-form-urlencoded", "BXNIM0109E", "Property missing or empty. Property: grant_type")]
    [InlineData("grant_type=password&apikey=k", "application/x-www-form-urlencoded", "BXNIM0103E", "Unsupported grant type: password")]
    [InlineData("grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey", "application/x-www-form-urlencoded", "BXNIM0109E", "Property missing or empty. Property: apikey")]
    [InlineData("""{"apikey":"k"}""", "application/json", "BXNIM0109E", "Property missing or empty. The request body must be application/x-www-form-urlencoded.")]
    public async Task Requires_a_form_with_the_api_key_grant_type_and_a_key(string form, string contentType, string code, string message)
    {
        await using var mock = await StartAsync();

        using var response = await IbmCloud.RequestTokenAsync(mock, form, contentType);
        var json = await IbmCloud.JsonAsync(response, mock);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, json.GetProperty("errorCode").GetString());
        Assert.Equal(message, json.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Accepts_any_key_when_none_are_configured()
    {
        await using var mock = await StartAsync(keys: []);

        using var response = await IbmCloud.RequestTokenAsync(mock, "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=anything");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Answers_an_injected_status_with_an_iam_error()
    {
        await using var mock = await StartAsync();
        mock.Server.AddFault(FaultRule.Status(503, "/identity/token", times: 1));

        using var failed = await IbmCloud.RequestTokenAsync(mock, $"grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey={IbmCloud.ApiKey}");
        var json = await IbmCloud.JsonAsync(failed, mock);
        using var next = await IbmCloud.RequestTokenAsync(mock, $"grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey={IbmCloud.ApiKey}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("BXNIM0500E", json.GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Catch_all_faults_and_recording_leave_token_requests_alone()
    {
        await using var mock = await StartAsync();
        mock.Server.AddFault(FaultRule.Status(500, "/", times: 1));

        using var response = await IbmCloud.RequestTokenAsync(mock, $"grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey={IbmCloud.ApiKey}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(mock.Server.Faults);
        Assert.Empty(mock.Server.Requests);
        Assert.Equal("/identity/token", Assert.Single(mock.Server.TokenRequests).Path);
    }
}

using System.Collections.Frozen;
using System.Net.Http.Headers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.MockProvider;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Upstreams.Credentials;

/// <summary>The IBM Cloud API key to IAM token exchange, against the mock provider's real IAM endpoint.</summary>
public sealed class IbmIamTokenSourceTests
{
    private const string GoodKey = "ibm-key-accepted-0123456789";
    private const string BadKey = "ibm-key-refused-9876543210";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Exchanges_the_api_key_for_a_bearer_token_that_expires_after_expires_in()
    {
        // Arrange
        await using var iam = await StartIamAsync();
        using var http = new HttpClient();
        var time = new FakeTimeProvider(Start);
        var source = new IbmIamTokenSource(http, iam.GetUri("/identity/token"), new Secret(GoodKey), time);

        // Act
        var token = await source.FetchAsync(CancellationToken.None);

        // Assert
        Assert.StartsWith("mock-iam-1-", token.Value.Reveal(), StringComparison.Ordinal);
        Assert.Equal(Start.AddHours(1), token.ExpiresOn);
        var request = Assert.Single(iam.TokenRequests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/x-www-form-urlencoded", MediaTypeHeaderValue.Parse(request.Header("content-type")!).MediaType);
        Assert.Equal("application/json", request.Header("accept"));
        Assert.Equal($"grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey={GoodKey}", System.Text.Encoding.UTF8.GetString(request.Body.Span));
    }

    [Fact]
    public async Task Reports_a_refused_key_with_iams_code_and_message_and_never_the_key()
    {
        await using var iam = await StartIamAsync();
        using var http = new HttpClient();
        var source = new IbmIamTokenSource(http, iam.GetUri("/identity/token"), new Secret(BadKey), TimeProvider.System);

        var error = await Assert.ThrowsAsync<CredentialException>(() => source.FetchAsync(CancellationToken.None));

        Assert.Equal("IBM Cloud IAM refused the API key (HTTP 400 BXNIM0415E: Provided API key could not be found.)", error.Message);
        Assert.DoesNotContain(BadKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_an_iam_outage_with_its_status()
    {
        await using var iam = await StartIamAsync();
        iam.AddFault(new FaultRule { PathPrefix = "/identity/token", StatusCode = 503, ErrorMessage = "Service Unavailable", Times = 1 });
        using var http = new HttpClient();
        var source = new IbmIamTokenSource(http, iam.GetUri("/identity/token"), new Secret(GoodKey), TimeProvider.System);

        var error = await Assert.ThrowsAsync<CredentialException>(() => source.FetchAsync(CancellationToken.None));

        Assert.Equal("IBM Cloud IAM failed (HTTP 503 BXNIM0500E: Service Unavailable)", error.Message);
    }

    [Fact]
    public async Task Reports_an_iam_that_does_not_answer_in_time()
    {
        await using var iam = await StartIamAsync();
        iam.AddFault(new FaultRule { PathPrefix = "/identity/token", Delay = TimeSpan.FromSeconds(5), Times = 1 });
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        var source = new IbmIamTokenSource(http, iam.GetUri("/identity/token"), new Secret(GoodKey), TimeProvider.System);

        var error = await Assert.ThrowsAsync<CredentialException>(() => source.FetchAsync(CancellationToken.None));

        Assert.Equal($"IBM Cloud IAM at 127.0.0.1:{iam.Port} did not answer in time", error.Message);
    }

    [Fact]
    public async Task Reports_an_iam_that_cannot_be_reached()
    {
        var port = FreePort.Next();
        using var http = new HttpClient();
        var source = new IbmIamTokenSource(http, new Uri($"http://127.0.0.1:{port}/identity/token"), new Secret(GoodKey), TimeProvider.System);

        var error = await Assert.ThrowsAsync<CredentialException>(() => source.FetchAsync(CancellationToken.None));

        Assert.Equal($"could not reach IBM Cloud IAM at 127.0.0.1:{port} (ConnectionError)", error.Message);
    }

    [Fact]
    public async Task Refuses_to_exchange_an_empty_key_without_calling_iam()
    {
        await using var iam = await StartIamAsync();
        using var http = new HttpClient();
        var source = new IbmIamTokenSource(http, iam.GetUri("/identity/token"), Secret.Empty, TimeProvider.System);

        var error = await Assert.ThrowsAsync<CredentialException>(() => source.FetchAsync(CancellationToken.None));

        Assert.Equal("no api_key is configured to exchange for an IBM Cloud IAM token", error.Message);
        Assert.Empty(iam.TokenRequests);
    }

    [Fact]
    public async Task The_factory_gives_ibm_iam_providers_bearer_tokens_refreshed_from_iam_before_they_expire()
    {
        // Arrange
        await using var iam = await StartIamAsync();
        using var http = new HttpClient();
        var time = new FakeTimeProvider(Start);
        var factory = new UpstreamCredentialsFactory(http, time);
        var provider = Watsonx(iam.GetUri("/identity/token"));
        using var credentials = factory.Create(provider);
        var bearer = Assert.IsType<BearerTokenCredentials>(credentials);

        // Act
        var first = await ApplyAsync(bearer, provider);
        await Task.Delay(100); // lets the refresh loop reach its timer before the clock moves
        time.Advance(TimeSpan.FromMinutes(56));
        await WaitUntil(() => bearer.Token.TryGetCurrent(out var current) && current.StartsWith("mock-iam-2-", StringComparison.Ordinal));
        var second = await ApplyAsync(bearer, provider);

        // Assert
        Assert.StartsWith("Bearer mock-iam-1-", first, StringComparison.Ordinal);
        Assert.StartsWith("Bearer mock-iam-2-", second, StringComparison.Ordinal);
        Assert.Equal(2, iam.TokenRequests.Count);
    }

    private static async Task<string> ApplyAsync(BearerTokenCredentials credentials, ProviderDefinition provider)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var result = await credentials.ApplyAsync(new UpstreamAttempt(provider, "POST", "/ml/v1/text/chat?version=2024-05-31", [], default), headers, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return Assert.Single(headers, h => h.Key == "authorization").Value;
    }

    private static Task<MockProviderServer> StartIamAsync() =>
        MockProviderServer.StartAsync(new MockProviderOptions { IbmApiKeys = [GoodKey] });

    private static ProviderDefinition Watsonx(Uri tokenUrl) => new()
    {
        Name = "watsonx",
        Schema = ApiSchema.Watsonx,
        Endpoint = new Uri("https://us-south.ml.cloud.ibm.com"),
        Authority = "us-south.ml.cloud.ibm.com",
        BasePath = string.Empty,
        ApiKey = new Secret(GoodKey),
        Models = new[] { "ibm/granite-3-8b-instruct" }.ToFrozenSet(),
        Priority = 1,
        Index = 0,
        IsSupported = true,
        ProjectId = "p-1",
        ApiVersion = GatewayConfigValidator.DefaultWatsonxVersion,
        Auth = new ProviderAuth { Kind = ProviderAuthKind.IbmIam, TokenUrl = tokenUrl },
    };

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}

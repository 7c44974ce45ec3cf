using System.Collections.Frozen;
using AiGateway.Core.Configuration;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.Core.Upstreams.Credentials.Aws;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Upstreams.Credentials.Aws;

public sealed class AwsSigV4CredentialsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 11, 15, 14, 0, 5, TimeSpan.Zero));

    [Fact]
    public async Task Signs_the_final_body_and_encoded_path_for_the_provider_host()
    {
        // Arrange
        var provider = Bedrock(sessionToken: string.Empty);
        using var credentials = new UpstreamCredentialsFactory(new HttpClient(), Clock).Create(provider)!;
        var body = """{"messages":[]}"""u8.ToArray();
        var path = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";
        var headers = new List<KeyValuePair<string, string>>();

        // Act
        var result = await credentials.ApplyAsync(new UpstreamAttempt(provider, "POST", path, [new("content-type", "application/json"), new("accept-encoding", "identity")], body), headers, default);

        // Assert
        Assert.True(result.Succeeded);
        var expected = SigV4Signer.Sign(
            "POST", path, [new("content-type", "application/json"), new("host", "bedrock-runtime.us-east-1.amazonaws.com"), new("x-amz-date", "20241115T140005Z")], body,
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "bedrock", Clock.GetUtcNow());
        Assert.Equal(
            [new("x-amz-date", "20241115T140005Z"), new("authorization", expected.Authorization)],
            headers);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241115/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=", expected.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sends_and_signs_the_session_token_of_temporary_credentials()
    {
        var provider = Bedrock(sessionToken: "token-123");
        using var credentials = AwsSigV4Credentials.For(provider, Clock);
        var headers = new List<KeyValuePair<string, string>>();

        await credentials.ApplyAsync(new UpstreamAttempt(provider, "POST", "/model/m/converse", [new("content-type", "application/json")], "{}"u8.ToArray()), headers, default);

        Assert.Contains(new KeyValuePair<string, string>("x-amz-security-token", "token-123"), headers);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,", headers.Single(h => h.Key == "authorization").Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signs_each_attempt_with_the_current_time()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 11, 15, 23, 59, 59, TimeSpan.Zero));
        var provider = Bedrock(sessionToken: string.Empty);
        using var credentials = AwsSigV4Credentials.For(provider, clock);
        var first = new List<KeyValuePair<string, string>>();
        var second = new List<KeyValuePair<string, string>>();
        var attempt = new UpstreamAttempt(provider, "POST", "/model/m/converse", [], "{}"u8.ToArray());

        await credentials.ApplyAsync(attempt, first, default);
        clock.Advance(TimeSpan.FromSeconds(2));
        await credentials.ApplyAsync(attempt, second, default);

        Assert.Equal("20241116T000001Z", second.Single(h => h.Key == "x-amz-date").Value);
        Assert.Contains("/20241116/us-east-1/bedrock/", second.Single(h => h.Key == "authorization").Value, StringComparison.Ordinal);
        Assert.NotEqual(first.Single(h => h.Key == "authorization").Value, second.Single(h => h.Key == "authorization").Value);
    }

    [Fact]
    public async Task Fails_without_a_region()
    {
        var provider = Bedrock(sessionToken: string.Empty, region: null);
        using var credentials = AwsSigV4Credentials.For(provider, Clock);

        var result = await credentials.ApplyAsync(new UpstreamAttempt(provider, "POST", "/", [], default), [], default);

        Assert.False(result.Succeeded);
        Assert.DoesNotContain("wJalr", result.Error!, StringComparison.Ordinal);
    }

    private static ProviderDefinition Bedrock(string sessionToken, string? region = "us-east-1") => new()
    {
        Name = "bedrock",
        Schema = ApiSchema.AwsBedrock,
        Endpoint = new Uri("https://bedrock-runtime.us-east-1.amazonaws.com"),
        Authority = "bedrock-runtime.us-east-1.amazonaws.com",
        BasePath = string.Empty,
        ApiKey = Secret.Empty,
        Models = new[] { "anthropic.claude-3-5-haiku-20241022-v1:0" }.ToFrozenSet(),
        Priority = 1,
        Index = 0,
        IsSupported = true,
        Region = region,
        Auth = new ProviderAuth
        {
            Kind = ProviderAuthKind.AwsSigV4,
            AccessKeyId = new Secret("AKIDEXAMPLE"),
            SecretAccessKey = new Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            SessionToken = new Secret(sessionToken),
        },
    };
}

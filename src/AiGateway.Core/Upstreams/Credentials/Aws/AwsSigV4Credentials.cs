using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Credentials.Aws;

/// <summary>
/// Signs each Bedrock attempt with SigV4 (provider-apis.md §4.2): over the final translated body and the
/// exact encoded path, for the provider's host (not the client's), with a fresh <c>x-amz-date</c> per
/// attempt. Signs <c>content-type</c>, <c>host</c>, <c>x-amz-date</c> and, with temporary credentials,
/// <c>x-amz-security-token</c>; never headers Envoy may rewrite (<c>content-length</c>).
/// </summary>
public sealed class AwsSigV4Credentials : IUpstreamCredentials
{
    /// <summary>The service name in Bedrock's credential scope (not <c>bedrock-runtime</c>).</summary>
    public const string BedrockService = "bedrock";

    private readonly string _accessKeyId;
    private readonly Secret _secretAccessKey;
    private readonly Secret _sessionToken;
    private readonly string _region;
    private readonly string _service;
    private readonly TimeProvider _time;

    /// <summary>Creates the credentials.</summary>
    /// <param name="auth">The provider's aws-sigv4 settings.</param>
    /// <param name="region">The signing region.</param>
    /// <param name="time">The clock.</param>
    /// <param name="service">The signing service.</param>
    public AwsSigV4Credentials(ProviderAuth auth, string region, TimeProvider time, string service = BedrockService)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentException.ThrowIfNullOrEmpty(region);
        _accessKeyId = auth.AccessKeyId.Reveal();
        _secretAccessKey = auth.SecretAccessKey;
        _sessionToken = auth.SessionToken;
        _region = region;
        _service = service;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The credentials of a Bedrock provider, or the reason they cannot be built.</summary>
    public static IUpstreamCredentials For(ProviderDefinition provider, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (string.IsNullOrEmpty(provider.Region))
        {
            return new UnavailableCredentials("aws-sigv4 needs the provider's region");
        }

        if (provider.Auth.AccessKeyId.IsEmpty || provider.Auth.SecretAccessKey.IsEmpty)
        {
            return new UnavailableCredentials("aws-sigv4 needs access_key_id and secret_access_key");
        }

        return new AwsSigV4Credentials(provider.Auth, provider.Region, time);
    }

    /// <inheritdoc />
    public ValueTask<CredentialResult> ApplyAsync(UpstreamAttempt attempt, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var now = _time.GetUtcNow();
        var amzDate = now.UtcDateTime.ToString(SigV4Signer.AmzDateFormat, System.Globalization.CultureInfo.InvariantCulture);
        var signed = new List<KeyValuePair<string, string>>(4)
        {
            new("host", attempt.Provider.Authority),
            new("x-amz-date", amzDate),
        };
        foreach (var (name, value) in attempt.Headers)
        {
            if (string.Equals(name, "content-type", StringComparison.OrdinalIgnoreCase))
            {
                signed.Add(new("content-type", value));
            }
        }

        if (!_sessionToken.IsEmpty)
        {
            signed.Add(new("x-amz-security-token", _sessionToken.Reveal()));
        }

        var signature = SigV4Signer.Sign(attempt.Method, attempt.Path, signed, attempt.Body.Span, _accessKeyId, _secretAccessKey.Reveal(), _region, _service, now);
        headers.Add(new("x-amz-date", amzDate));
        if (!_sessionToken.IsEmpty)
        {
            headers.Add(new("x-amz-security-token", _sessionToken.Reveal()));
        }

        headers.Add(new("authorization", signature.Authorization));
        return ValueTask.FromResult(CredentialResult.Ok);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

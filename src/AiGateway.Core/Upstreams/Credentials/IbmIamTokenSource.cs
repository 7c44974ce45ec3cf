using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>
/// Exchanges an IBM Cloud API key for an IAM bearer token (provider-apis.md §6.2): a form POST of
/// <c>grant_type=urn:ibm:params:oauth:grant-type:apikey&amp;apikey=...</c> to the token URL, answered with
/// <c>access_token</c> and <c>expires_in</c> (or <c>expiration</c>). Failures become
/// <see cref="CredentialException"/>s naming IAM's error code and message or the HTTP status, never the key.
/// </summary>
public sealed class IbmIamTokenSource : IAccessTokenSource
{
    /// <summary>The grant type of an API-key exchange.</summary>
    public const string ApiKeyGrantType = "urn:ibm:params:oauth:grant-type:apikey";

    private const int MaxEchoedLength = 200;

    private readonly HttpClient _http;
    private readonly Uri _tokenUrl;
    private readonly Secret _apiKey;
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    /// <param name="http">Sends the token request (its timeout bounds the exchange).</param>
    /// <param name="tokenUrl">IAM's token endpoint, e.g. <c>https://iam.cloud.ibm.com/identity/token</c>.</param>
    /// <param name="apiKey">The IBM Cloud API key.</param>
    /// <param name="time">Clock for <c>expires_in</c>.</param>
    public IbmIamTokenSource(HttpClient http, Uri tokenUrl, Secret apiKey, TimeProvider time)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _tokenUrl = tokenUrl ?? throw new ArgumentNullException(nameof(tokenUrl));
        _apiKey = apiKey ?? throw new ArgumentNullException(nameof(apiKey));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <inheritdoc />
    public string Issuer => "IBM Cloud IAM";

    /// <inheritdoc />
    public async Task<AccessToken> FetchAsync(CancellationToken cancellationToken)
    {
        if (_apiKey.IsEmpty)
        {
            throw new CredentialException("no api_key is configured to exchange for an IBM Cloud IAM token");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenUrl)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", ApiKeyGrantType),
                new("apikey", _apiKey.Reveal()),
            ]),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CredentialException($"{Issuer} at {_tokenUrl.Authority} did not answer in time", e);
        }
        catch (HttpRequestException e)
        {
            throw new CredentialException($"could not reach {Issuer} at {_tokenUrl.Authority} ({Describe(e)})", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new CredentialException(DescribeRefusal(status, body));
            }

            return ReadToken(body);
        }
    }

    private AccessToken ReadToken(byte[] body)
    {
        string? token = null;
        long? expiresIn = null;
        long? expiration = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("access_token"u8, out var t) && t.ValueKind == JsonValueKind.String)
                {
                    token = t.GetString();
                }

                if (root.TryGetProperty("expires_in"u8, out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out var seconds))
                {
                    expiresIn = seconds;
                }

                if (root.TryGetProperty("expiration"u8, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var epoch))
                {
                    expiration = epoch;
                }
            }
        }
        catch (JsonException)
        {
            // Reported below without echoing the body: it could hold a token.
        }

        if (string.IsNullOrEmpty(token))
        {
            throw new CredentialException($"{Issuer} answered 200 without an access_token");
        }

        // expires_in is relative, so it is immune to clock skew between us and IAM; expiration is the fallback.
        DateTimeOffset expiresOn;
        if (expiresIn is > 0)
        {
            expiresOn = _time.GetUtcNow().AddSeconds(expiresIn.Value);
        }
        else if (expiration is > 0)
        {
            expiresOn = DateTimeOffset.FromUnixTimeSeconds(expiration.Value);
        }
        else
        {
            throw new CredentialException($"{Issuer} answered a token without expires_in or expiration");
        }

        return new AccessToken(new Secret(token), expiresOn);
    }

    private string DescribeRefusal(int status, byte[] body)
    {
        string? code = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                code = root.TryGetProperty("errorCode"u8, out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                message = root.TryGetProperty("errorMessage"u8, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
        }

        var detail = (code, message) switch
        {
            (null, null) => null,
            (null, _) => Scrub(message!),
            (_, null) => code,
            _ => $"{code}: {Scrub(message!)}",
        };
        var what = status is 400 or 401 or 403 ? $"{Issuer} refused the API key" : $"{Issuer} failed";
        return detail is null ? $"{what} (HTTP {status})" : $"{what} (HTTP {status} {detail})";
    }

    /// <summary>IAM's message, shortened, with the key masked should it ever be echoed.</summary>
    private string Scrub(string text)
    {
        var key = _apiKey.Reveal();
        if (key.Length > 0)
        {
            text = text.Replace(key, "***", StringComparison.Ordinal);
        }

        return text.Length > MaxEchoedLength ? text[..MaxEchoedLength] + "..." : text;
    }

    private static string Describe(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.Unknown ? e.Message : e.HttpRequestError.ToString();
}

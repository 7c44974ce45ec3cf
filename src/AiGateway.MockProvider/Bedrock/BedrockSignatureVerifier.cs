using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AiGateway.Core.Upstreams.Credentials.Aws;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Bedrock;

/// <summary>
/// Checks a request the way Bedrock does: a SigV4 <c>Authorization</c> is recomputed from the request as
/// received (raw path, the signed headers' values, the body) with the secret of its access key, for the
/// <c>bedrock</c> service, within five minutes of <c>x-amz-date</c>; or a Bedrock API key as a bearer token.
/// </summary>
internal static class BedrockSignatureVerifier
{
    private const string SigV4Prefix = SigV4Signer.Algorithm + " ";

    /// <summary>The 403 to answer, or null when the request is authenticated (or no credentials are configured).</summary>
    public static BedrockError? Check(HttpRequest request, string rawTarget, ReadOnlySpan<byte> body, BedrockMockOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.RequiresAuthentication)
        {
            return null;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return BedrockError.MissingAuthentication();
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return options.ApiKeys.Contains(authorization["Bearer ".Length..].Trim(), StringComparer.Ordinal) ? null : BedrockError.UnrecognizedClient();
        }

        if (!authorization.StartsWith(SigV4Prefix, StringComparison.Ordinal))
        {
            return BedrockError.InvalidSignature("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        var parts = authorization[SigV4Prefix.Length..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.TryGetValue("Signature", out var signature))
        {
            return BedrockError.InvalidSignature("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return BedrockError.InvalidSignature($"Credential should be scoped to a valid region. ('{credential}')");
        }

        var (accessKeyId, date, region, service) = (scope[0], scope[1], scope[2], scope[3]);
        if (!options.AccessKeys.TryGetValue(accessKeyId, out var secret))
        {
            return BedrockError.UnrecognizedClient();
        }

        if (service != AwsSigV4Credentials.BedrockService)
        {
            return BedrockError.InvalidSignature($"Credential should be scoped to correct service: 'bedrock'. ");
        }

        if (options.Region is { } expectedRegion && region != expectedRegion)
        {
            return BedrockError.InvalidSignature($"Credential should be scoped to a valid region, not '{region}'. ");
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date"))
        {
            return BedrockError.InvalidSignature("Signed headers must include host and x-amz-date.");
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, SigV4Signer.AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return BedrockError.InvalidSignature("The request must contain a valid x-amz-date header.");
        }

        if (!amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            return BedrockError.InvalidSignature($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{date}' != '{amzDate[..8]}'");
        }

        if ((now - signedAt).Duration() > BedrockMockOptions.MaxClockSkew)
        {
            return BedrockError.InvalidSignature($"Signature expired: {amzDate} is now earlier than {(now - BedrockMockOptions.MaxClockSkew).ToString(SigV4Signer.AmzDateFormat, CultureInfo.InvariantCulture)} ({now.ToString(SigV4Signer.AmzDateFormat, CultureInfo.InvariantCulture)} - 5 min.)");
        }

        var headers = new List<KeyValuePair<string, string>>(names.Length);
        foreach (var name in names)
        {
            if (name == "host")
            {
                headers.Add(new(name, request.Host.Value ?? string.Empty));
                continue;
            }

            foreach (var value in request.Headers[name])
            {
                headers.Add(new(name, value ?? string.Empty));
            }
        }

        var expected = SigV4Signer.Sign(request.Method, rawTarget, headers, body, accessKeyId, secret, region, service, signedAt);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected.Signature), Encoding.ASCII.GetBytes(signature)))
        {
            return BedrockError.InvalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return null;
    }
}

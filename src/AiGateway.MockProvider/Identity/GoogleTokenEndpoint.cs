using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Json;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Identity;

/// <summary>
/// Google's OAuth token endpoint for service accounts: <c>POST /token</c> with
/// <c>grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer</c> and <c>assertion=&lt;RS256 JWT&gt;</c>. The
/// assertion's signature is verified with the configured <see cref="MockServiceAccount"/>'s public key; its
/// <c>iss</c>, <c>aud</c> (Google's token URL, as Google requires, or this endpoint's own URL), <c>scope</c>, <c>iat</c> and <c>exp</c> are checked the way
/// Google does. Errors are Google's <c>{"error","error_description"}</c>.
/// </summary>
internal static class GoogleTokenEndpoint
{
    /// <summary>The token path (a key file's <c>token_uri</c> is <c>{mock}/token</c>).</summary>
    public const string Path = "/token";

    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>The audience Google requires of token-request assertions, whatever the key file's <c>token_uri</c>.</summary>
    public const string GoogleAudience = "https://oauth2.googleapis.com/token";

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public static Task HandleAsync(HttpContext context, MockProviderState state, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return ErrorAsync(context, 405, "invalid_request", "Method not allowed: use POST.", ct);
        }

        var form = TokenForm.Parse(request, body);
        var grant = form.Field("grant_type");
        if (grant is null)
        {
            return ErrorAsync(context, 400, "invalid_request", "Missing required parameter: grant_type", ct);
        }

        if (grant != JwtBearerGrant)
        {
            return ErrorAsync(context, 400, "unsupported_grant_type", "Invalid grant_type: " + grant, ct);
        }

        if (form.Field("assertion") is not { } assertion)
        {
            return ErrorAsync(context, 400, "invalid_request", "Missing required parameter: assertion", ct);
        }

        var audience = $"{request.Scheme}://{request.Host}{Path}";
        var outcome = Verify(assertion, state, audience);
        if (outcome.Error is { } error)
        {
            return ErrorAsync(context, 400, error.Code, error.Description, ct);
        }

        var lifetime = state.Options.IssuedTokenLifetime;
        var token = state.IssuedTokens.Issue(IssuedTokens.Google, outcome.Email!, outcome.Scope!, lifetime);
        var json = JsonBodies.Serialize((token.Value, Seconds: (long)lifetime.TotalSeconds), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("access_token"u8, s.Value);
            w.WriteNumber("expires_in"u8, s.Seconds);
            w.WriteString("token_type"u8, "Bearer");
            w.WriteEndObject();
        });
        return TokenForm.WriteJsonAsync(context, 200, json, ct);
    }

    private static (string? Email, string? Scope, (string Code, string Description)? Error) Verify(string assertion, MockProviderState state, string audience)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3 || Decode(parts[0]) is not { } headerBytes || Decode(parts[1]) is not { } payloadBytes || Decode(parts[2]) is not { } signature)
        {
            return Fail("invalid_grant", "Invalid JWT: not a compact JWS (header.payload.signature, base64url).");
        }

        string? alg;
        string? iss;
        string? aud;
        string? scope;
        long? iat;
        long? exp;
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            alg = Text(header.RootElement, "alg");
            using var payload = JsonDocument.Parse(payloadBytes);
            iss = Text(payload.RootElement, "iss");
            aud = Text(payload.RootElement, "aud");
            scope = Text(payload.RootElement, "scope");
            iat = Number(payload.RootElement, "iat");
            exp = Number(payload.RootElement, "exp");
        }
        catch (JsonException)
        {
            return Fail("invalid_grant", "Invalid JWT: header or claim set is not JSON.");
        }

        if (alg != "RS256")
        {
            return Fail("invalid_grant", $"Invalid JWT: unsupported algorithm '{alg}'; service-account assertions are RS256.");
        }

        var account = state.Options.GoogleServiceAccounts.FirstOrDefault(a => a.ClientEmail == iss);
        if (account is null)
        {
            return Fail("invalid_grant", "Invalid grant: account not found");
        }

        using (var rsa = RSA.Create())
        {
            rsa.ImportFromPem(account.PublicKeyPem);
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return Fail("invalid_grant", "Invalid JWT Signature.");
            }
        }

        if (aud != GoogleAudience && aud != audience)
        {
            return Fail("invalid_grant", $"Invalid JWT: audience '{aud}' is neither {GoogleAudience} nor this token endpoint ({audience}).");
        }

        var now = state.Time.GetUtcNow().ToUnixTimeSeconds();
        if (iat is null || exp is null || exp <= iat || exp - iat > (long)MaxLifetime.TotalSeconds
            || iat > now + (long)Skew.TotalSeconds || exp < now)
        {
            return Fail("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }

        if (string.IsNullOrWhiteSpace(scope))
        {
            return Fail("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        }

        return (iss, scope, null);
    }

    private static (string?, string?, (string, string)?) Fail(string code, string description) => (null, null, (code, description));

    private static byte[]? Decode(string part)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static Task ErrorAsync(HttpContext context, int status, string error, string description, CancellationToken ct)
    {
        var json = JsonBodies.Serialize((error, description), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("error"u8, s.error);
            w.WriteString("error_description"u8, s.description);
            w.WriteEndObject();
        });
        return TokenForm.WriteJsonAsync(context, status, json, ct);
    }
}

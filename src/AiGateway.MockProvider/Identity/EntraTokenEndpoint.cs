using System.Globalization;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Json;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Identity;

/// <summary>
/// Microsoft Entra ID's v2.0 token endpoint, client-credentials grant only:
/// <c>POST /{tenant}/oauth2/v2.0/token</c> with <c>grant_type=client_credentials</c>, <c>client_id</c>,
/// <c>client_secret</c> and <c>scope</c> (<c>…/.default</c>). Accepts the configured
/// <see cref="MockEntraClient"/>s and answers like Entra ID, errors with their AADSTS codes.
/// </summary>
internal static class EntraTokenEndpoint
{
    private const string Suffix = "/oauth2/v2.0/token";

    /// <summary>The tenant of a token path, or null when <paramref name="path"/> is not one.</summary>
    public static string? TenantOf(string path)
    {
        if (!path.EndsWith(Suffix, StringComparison.Ordinal) || path.Length <= Suffix.Length + 1 || path[0] != '/')
        {
            return null;
        }

        var tenant = path[1..^Suffix.Length];
        return tenant.Contains('/', StringComparison.Ordinal) ? null : tenant;
    }

    public static Task HandleAsync(HttpContext context, MockProviderState state, string tenant, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return ErrorAsync(context, state, 405, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a GET request.", ct);
        }

        var form = TokenForm.Parse(request, body);
        var grant = form.Field("grant_type");
        if (grant is null)
        {
            return ErrorAsync(context, state, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.", ct);
        }

        if (grant != "client_credentials")
        {
            return ErrorAsync(context, state, 400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grant}'.", ct);
        }

        var clientId = form.Field("client_id");
        if (clientId is null)
        {
            return ErrorAsync(context, state, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.", ct);
        }

        var clients = state.Options.EntraClients;
        if (!clients.Any(c => c.TenantId == tenant))
        {
            return ErrorAsync(context, state, 400, "invalid_request", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", ct);
        }

        var client = clients.FirstOrDefault(c => c.TenantId == tenant && c.ClientId == clientId);
        if (client is null)
        {
            return ErrorAsync(context, state, 400, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{tenant}'.", ct);
        }

        var secret = form.Field("client_secret");
        if (secret is null)
        {
            return ErrorAsync(context, state, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", ct);
        }

        if (!string.Equals(secret, client.ClientSecret, StringComparison.Ordinal))
        {
            return ErrorAsync(context, state, 401, "invalid_client", 7000215, $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.", ct);
        }

        var scope = form.Field("scope");
        if (scope is null)
        {
            return ErrorAsync(context, state, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.", ct);
        }

        if (scope.Contains(' ', StringComparison.Ordinal) || !scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return ErrorAsync(context, state, 400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", ct);
        }

        var lifetime = state.Options.IssuedTokenLifetime;
        var token = state.IssuedTokens.Issue(IssuedTokens.Entra, clientId, scope, lifetime);
        var seconds = (long)lifetime.TotalSeconds;
        var json = JsonBodies.Serialize((token.Value, seconds), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("token_type"u8, "Bearer");
            w.WriteNumber("expires_in"u8, s.seconds);
            w.WriteNumber("ext_expires_in"u8, s.seconds);
            w.WriteString("access_token"u8, s.Value);
            w.WriteEndObject();
        });
        return TokenForm.WriteJsonAsync(context, 200, json, ct);
    }

    /// <summary>Entra ID's error JSON: the OAuth error, an <c>AADSTS&lt;code&gt;: …</c> description with trace lines, and <c>error_codes</c>.</summary>
    private static Task ErrorAsync(HttpContext context, MockProviderState state, int status, string error, int code, string message, CancellationToken ct)
    {
        var now = state.Time.GetUtcNow();
        var trace = Guid.NewGuid().ToString();
        var correlation = Guid.NewGuid().ToString();
        var timestamp = now.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var description = $"AADSTS{code}: {message}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {timestamp}";
        var json = JsonBodies.Serialize((error, code, description, timestamp, trace, correlation), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("error"u8, s.error);
            w.WriteString("error_description"u8, s.description);
            w.WriteStartArray("error_codes"u8);
            w.WriteNumberValue(s.code);
            w.WriteEndArray();
            w.WriteString("timestamp"u8, s.timestamp);
            w.WriteString("trace_id"u8, s.trace);
            w.WriteString("correlation_id"u8, s.correlation);
            w.WriteString("error_uri"u8, "https://login.microsoftonline.com/error?code=" + s.code.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
        return TokenForm.WriteJsonAsync(context, status, json, ct);
    }
}

using System.Text;
using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Json;
using AiGateway.MockProvider.Watsonx;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Identity;

/// <summary>
/// <c>POST /identity/token</c>, IBM Cloud IAM's API-key exchange (provider-apis.md §6.2): a form body with
/// <c>grant_type=urn:ibm:params:oauth:grant-type:apikey</c> and <c>apikey</c>; answers an opaque bearer
/// token with <c>expires_in</c> and <c>expiration</c>, or IAM's error JSON. The watsonx.ai routes accept
/// only tokens issued here.
/// </summary>
internal static class IamTokenHandler
{
    public const string Path = "/identity/token";
    public const string ApiKeyGrantType = "urn:ibm:params:oauth:grant-type:apikey";

    public static async Task HandleAsync(HttpContext context, MockProviderState state, ReadOnlyMemory<byte> body, long requestNumber, ILogger logger, CancellationToken ct)
    {
        var requestId = "mock-iam-request-" + requestNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            await WriteErrorAsync(context, IamError.MethodNotAllowed(), requestId, ct);
            return;
        }

        // Token exchanges are not provider calls: only rules aimed at /identity apply, not catch-all ones.
        var rule = state.Faults.TryConsume(Path, null, scope: "/identity");
        if (!FaultPlan.TryCreate(rule, request.Headers, out var plan, out var headerError))
        {
            await WriteErrorAsync(context, new IamError(400, "BXNIM0400E", headerError!), requestId, ct);
            return;
        }

        if (await WatsonxRequestHandler.ApplyPreResponseFaultsAsync(context, state, Path, plan, (status, message) => WriteErrorAsync(context, IamError.ForStatus(status, message), requestId, ct), logger, ct))
        {
            return;
        }

        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, IamError.UnsupportedMediaType(), requestId, ct);
            return;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Span));
        var grantType = form.TryGetValue("grant_type", out var g) ? g.ToString() : string.Empty;
        if (grantType.Length == 0)
        {
            await WriteErrorAsync(context, IamError.MissingProperty("grant_type"), requestId, ct);
            return;
        }

        if (grantType != ApiKeyGrantType)
        {
            await WriteErrorAsync(context, IamError.UnsupportedGrantType(grantType), requestId, ct);
            return;
        }

        var apiKey = form.TryGetValue("apikey", out var k) ? k.ToString() : string.Empty;
        if (apiKey.Length == 0)
        {
            await WriteErrorAsync(context, IamError.MissingProperty("apikey"), requestId, ct);
            return;
        }

        var accepted = state.Options.IbmApiKeys;
        if (accepted.Count > 0 && !accepted.Contains(apiKey, StringComparer.Ordinal))
        {
            await WriteErrorAsync(context, IamError.UnknownApiKey(), requestId, ct);
            return;
        }

        var (token, expiresAt) = state.IamTokens.Issue();
        var answer = JsonBodies.Serialize((token, expiresAt, lifetime: state.IamTokens.Lifetime), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("access_token"u8, s.token);
            w.WriteString("refresh_token"u8, "not_supported");
            w.WriteString("token_type"u8, "Bearer");
            w.WriteNumber("expires_in"u8, (long)s.lifetime.TotalSeconds);
            w.WriteNumber("expiration"u8, s.expiresAt.ToUnixTimeSeconds());
            w.WriteString("scope"u8, "ibm openid");
            w.WriteEndObject();
        });
        await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, answer, plan, logger, ct);
    }

    private static Task WriteErrorAsync(HttpContext context, IamError error, string requestId, CancellationToken ct)
    {
        var body = JsonBodies.Serialize((error, requestId), static (w, s) => s.error.WriteTo(w, s.requestId));
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, ct).AsTask();
    }
}

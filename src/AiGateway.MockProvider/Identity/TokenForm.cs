using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AiGateway.MockProvider.Identity;

/// <summary>An <c>application/x-www-form-urlencoded</c> token request body and the JSON answers of token endpoints.</summary>
internal static class TokenForm
{
    public static Dictionary<string, string> Parse(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.ContentType is not { } type || !type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return fields;
        }

        foreach (var (name, values) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Span)))
        {
            fields[name] = values.ToString();
        }

        return fields;
    }

    public static string? Field(this Dictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public static Task WriteJsonAsync(HttpContext context, int status, byte[] body, CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store, no-cache";
        response.Headers.Pragma = "no-cache";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, ct).AsTask();
    }
}

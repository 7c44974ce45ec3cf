using System.Text.Json;

namespace AiGateway.MockProvider.Gemini;

/// <summary>
/// An error in Google's shape (<c>google.rpc.Status</c>):
/// <c>{"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED","details":[...]}}</c>.
/// A 429 carries a <c>google.rpc.RetryInfo</c> detail with <see cref="RetryDelaySeconds"/>.
/// </summary>
internal sealed record GeminiError(int Code, string Status, string Message, int? RetryDelaySeconds = null)
{
    public static GeminiError InvalidArgument(string message) => new(400, "INVALID_ARGUMENT", message);

    public static GeminiError InvalidJson() => InvalidArgument("Invalid JSON payload received.");

    /// <summary>AI Studio without a key: 403, as Google answers unregistered callers.</summary>
    public static GeminiError MissingApiKey() =>
        new(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");

    /// <summary>AI Studio with a wrong key: 400 INVALID_ARGUMENT (reason API_KEY_INVALID), as Google answers.</summary>
    public static GeminiError InvalidApiKey() => InvalidArgument("API key not valid. Please pass a valid API key.");

    /// <summary>Vertex AI without a valid bearer token.</summary>
    public static GeminiError Unauthenticated() =>
        new(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");

    public static GeminiError ModelNotFound(string model) =>
        new(404, "NOT_FOUND", $"models/{model} is not found for API version v1beta, or is not supported for generateContent.");

    public static GeminiError MethodNotAllowed(string method) => new(405, "UNIMPLEMENTED", $"Method {method} is not allowed here; use POST.");

    /// <summary>Google's status name for an HTTP status.</summary>
    public static string StatusFor(int code) => code switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        >= 500 => "INTERNAL",
        _ => "FAILED_PRECONDITION",
    };

    /// <summary>The error Google sends for <paramref name="code"/>, with an optional message override.</summary>
    public static GeminiError ForStatus(int code, string? message, int? retryDelaySeconds = null) => new(code, StatusFor(code), message ?? (code switch
    {
        400 => "Request contains an invalid argument (injected by mock provider).",
        401 => "Request had invalid authentication credentials.",
        403 => "The caller does not have permission.",
        404 => "Requested entity was not found.",
        429 => "Resource has been exhausted (e.g. check quota) (injected by mock provider).",
        503 => "The model is overloaded. Please try again later.",
        504 => "Deadline expired before operation could complete.",
        >= 500 => "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
        _ => $"Request failed with status {code} (injected by mock provider).",
    }), code == 429 ? retryDelaySeconds ?? 1 : null);

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, Code);
        writer.WriteString("message"u8, Message);
        writer.WriteString("status"u8, Status);
        if (RetryDelaySeconds is { } seconds)
        {
            writer.WriteStartArray("details"u8);
            writer.WriteStartObject();
            writer.WriteString("@type"u8, "type.googleapis.com/google.rpc.RetryInfo");
            writer.WriteString("retryDelay"u8, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s");
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

using System.Text.Json;

namespace AiGateway.MockProvider.Json;

/// <summary>An error answered in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record OpenAiError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    public static OpenAiError InvalidJson() => new(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        "invalid_request_error");

    public static OpenAiError MissingModel() => new(400, "you must provide a model parameter", "invalid_request_error");

    public static OpenAiError MissingParameter(string param) =>
        new(400, $"Missing required parameter: '{param}'.", "invalid_request_error", param, "missing_required_parameter");

    public static OpenAiError InvalidValue(string param, string message) =>
        new(400, $"Invalid '{param}': {message}", "invalid_request_error", param, "invalid_value");

    public static OpenAiError InvalidHeader(string message) => new(400, message, "invalid_request_error", null, "invalid_mock_header");

    public static OpenAiError MissingApiKey() => new(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        "invalid_request_error");

    public static OpenAiError InvalidApiKey(string key) => new(
        401,
        $"Incorrect API key provided: {Mask(key)}.",
        "invalid_request_error",
        null,
        "invalid_api_key");

    public static OpenAiError InvalidUrl(string method, string path) =>
        new(404, $"Invalid URL ({method} {path})", "invalid_request_error");

    public static OpenAiError ModelNotFound(string model) => new(
        404,
        $"The model '{model}' does not exist or you do not have access to it.",
        "invalid_request_error",
        "model",
        "model_not_found");

    /// <summary>The error OpenAI sends for <paramref name="status"/>, with an optional message override.</summary>
    public static OpenAiError ForStatus(int status, string? message) => status switch
    {
        400 => new(status, message ?? "Bad request (injected by mock provider).", "invalid_request_error"),
        401 => new(status, message ?? "Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"),
        403 => new(status, message ?? "You are not allowed to sample from this model.", "invalid_request_error", null, "unsupported_country_region_territory"),
        404 => new(status, message ?? "The model does not exist or you do not have access to it.", "invalid_request_error", null, "model_not_found"),
        429 => new(status, message ?? "Rate limit reached for requests (injected by mock provider). Please try again later.", "requests", null, "rate_limit_exceeded"),
        503 => new(status, message ?? "The engine is currently overloaded, please try again later.", "server_error"),
        >= 500 => new(status, message ?? "The server had an error while processing your request. Sorry about that!", "server_error"),
        _ => new(status, message ?? $"Request failed with status {status} (injected by mock provider).", "invalid_request_error"),
    };

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, Message);
        writer.WriteString("type"u8, Type);
        WriteNullable(writer, "param"u8, Param);
        WriteNullable(writer, "code"u8, Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Mask(string key) =>
        key.Length <= 8 ? "****" : string.Concat(key.AsSpan(0, 3), "****", key.AsSpan(key.Length - 4));
}

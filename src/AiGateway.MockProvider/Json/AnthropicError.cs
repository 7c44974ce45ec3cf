using System.Text.Json;

namespace AiGateway.MockProvider.Json;

/// <summary>
/// An error answered in Anthropic's shape:
/// <c>{"type":"error","error":{"type":"&lt;type&gt;","message":"..."},"request_id":"req_mock_&lt;n&gt;"}</c>.
/// </summary>
internal sealed record AnthropicError(int Status, string Type, string Message)
{
    public const string InvalidRequestType = "invalid_request_error";

    /// <summary>529: Anthropic's "capacity" status (not in <see cref="Microsoft.AspNetCore.Http.StatusCodes"/>).</summary>
    public const int OverloadedStatus = 529;

    public static AnthropicError InvalidRequest(string message) => new(400, InvalidRequestType, message);

    public static AnthropicError MissingApiKey() => new(401, "authentication_error", "x-api-key header is required");

    public static AnthropicError InvalidApiKey() => new(401, "authentication_error", "invalid x-api-key");

    public static AnthropicError MissingVersion() => InvalidRequest("anthropic-version: header is required");

    public static AnthropicError InvalidJson() => InvalidRequest("The request body is not valid JSON.");

    public static AnthropicError ModelNotFound(string model) => new(404, "not_found_error", $"model: {model}");

    /// <summary>The mid-stream error event's payload (no <c>request_id</c>): overloaded, as Anthropic sends it.</summary>
    public static AnthropicError StreamOverloaded(string? message) => new(OverloadedStatus, "overloaded_error", message ?? "Overloaded");

    /// <summary>Anthropic's <c>error.type</c> for an HTTP status (4xx default invalid_request_error, 5xx api_error).</summary>
    public static string TypeFor(int status) => status switch
    {
        400 => InvalidRequestType,
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        OverloadedStatus => "overloaded_error",
        >= 500 => "api_error",
        _ => InvalidRequestType,
    };

    /// <summary>The error Anthropic sends for <paramref name="status"/>, with an optional message override.</summary>
    public static AnthropicError ForStatus(int status, string? message) => new(status, TypeFor(status), message ?? (status switch
    {
        400 => "Bad request (injected by mock provider).",
        401 => "invalid x-api-key",
        402 => "Your credit balance is too low to access the Anthropic API.",
        403 => "Your API key does not have permission to use the specified resource.",
        404 => "The requested resource could not be found.",
        413 => "Request exceeds the maximum allowed number of bytes.",
        429 => "Number of requests has exceeded your rate limit (injected by mock provider). Please try again later.",
        504 => "Request timeout",
        OverloadedStatus => "Overloaded",
        >= 500 => "Internal server error",
        _ => $"Request failed with status {status} (injected by mock provider).",
    }));

    /// <summary>The same status and message in Anthropic's shape (for errors both dialects share).</summary>
    public static AnthropicError From(OpenAiError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Status, TypeFor(error.Status), error.Message);
    }

    /// <summary>Writes the error object; <c>request_id</c> only when <paramref name="requestId"/> is set.</summary>
    public void WriteTo(Utf8JsonWriter writer, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error");
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, Type);
        writer.WriteString("message"u8, Message);
        writer.WriteEndObject();
        if (requestId is not null)
        {
            writer.WriteString("request_id"u8, requestId);
        }

        writer.WriteEndObject();
    }
}

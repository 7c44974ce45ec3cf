using System.Text.Json;

namespace AiGateway.MockProvider.Watsonx;

/// <summary>
/// A watsonx.ai error: <c>{"errors":[{"code","message","more_info"}],"trace","status_code"}</c>
/// (provider-apis.md §6.6).
/// </summary>
internal sealed record WatsonxError(int Status, string Code, string Message)
{
    public const string MoreInfo = "https://cloud.ibm.com/apidocs/watsonx-ai";

    public static WatsonxError MissingToken() =>
        new(401, "authentication_token_not_valid", "Failed to authenticate the request: no bearer token in the Authorization header.");

    public static WatsonxError UnknownToken() =>
        new(401, "authentication_token_not_valid", "Failed to authenticate the request: the bearer token was not issued by IAM.");

    public static WatsonxError ExpiredToken() =>
        new(401, "authentication_token_expired", "Failed to authenticate the request due to an expired token");

    public static WatsonxError MissingVersion() =>
        new(400, "missing_argument", "Missing query parameter `version`");

    public static WatsonxError InvalidVersion(string version) =>
        new(400, "invalid_input_argument", $"Invalid value for query parameter `version`: '{version}' is not a date YYYY-MM-DD");

    public static WatsonxError InvalidJson() =>
        new(400, "json_type_error", "Json document is not valid: the request body could not be parsed");

    public static WatsonxError MissingField(string field) =>
        new(400, "json_validation_error", $"Json document validation error: '{field}' is a required property");

    public static WatsonxError UnexpectedField(string field) =>
        new(400, "json_validation_error", $"Json document validation error: additional property '{field}' is not allowed");

    public static WatsonxError ProjectOrSpace() =>
        new(400, "invalid_request_entity", "Exactly one of project_id or space_id must be given");

    public static WatsonxError InvalidValue(string field, string why) =>
        new(400, "invalid_input_argument", $"Invalid value for '{field}': {why}");

    public static WatsonxError ModelNotSupported(string model) =>
        new(404, "model_not_supported", $"Model '{model}' is not supported");

    public static WatsonxError NotFound(string method, string path) =>
        new(404, "not_found", $"Not found: {method} {path}");

    /// <summary>An injected fault (or bad <c>x-mock-*</c> header) in watsonx's shape.</summary>
    public static WatsonxError ForStatus(int status, string? message) => status switch
    {
        400 => new(status, "invalid_request_entity", message ?? "Invalid request"),
        401 => new(status, "authentication_token_expired", message ?? "Failed to authenticate the request due to an expired token"),
        403 => new(status, "authorization_rejected", message ?? "Authorization rejected"),
        404 => new(status, "not_found", message ?? "Not found"),
        429 => new(status, "token_quota_reached", message ?? "The token quota was reached"),
        503 => new(status, "service_unavailable", message ?? "The service is temporarily unavailable"),
        _ => new(status, status >= 500 ? "internal_error" : "invalid_request_entity", message ?? $"The request failed with status {status}"),
    };

    public void WriteTo(Utf8JsonWriter writer, string trace)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("errors"u8);
        writer.WriteStartObject();
        writer.WriteString("code"u8, Code);
        writer.WriteString("message"u8, Message);
        writer.WriteString("more_info"u8, MoreInfo);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("trace"u8, trace);
        writer.WriteNumber("status_code"u8, Status);
        writer.WriteEndObject();
    }
}

using System.Text.Json;

namespace AiGateway.MockProvider.Identity;

/// <summary>
/// An IBM Cloud IAM error: <c>{"errorCode","errorMessage","context":{"requestId","requestType"}}</c>.
/// The codes are IAM's message ids (BXNIM...); the API key is never echoed.
/// </summary>
internal sealed record IamError(int Status, string ErrorCode, string ErrorMessage)
{
    public static IamError UnsupportedMediaType() =>
        new(400, "BXNIM0109E", "Property missing or empty. The request body must be application/x-www-form-urlencoded.");

    public static IamError MissingProperty(string name) =>
        new(400, "BXNIM0109E", $"Property missing or empty. Property: {name}");

    public static IamError UnsupportedGrantType(string grantType) =>
        new(400, "BXNIM0103E", $"Unsupported grant type: {grantType}");

    public static IamError UnknownApiKey() =>
        new(400, "BXNIM0415E", "Provided API key could not be found.");

    public static IamError MethodNotAllowed() =>
        new(405, "BXNIM0405E", "Method not allowed: use POST.");

    /// <summary>An injected fault: the status with an IAM-style body.</summary>
    public static IamError ForStatus(int status, string? message) => new(
        status,
        status >= 500 ? "BXNIM0500E" : "BXNIM0400E",
        message ?? (status >= 500 ? "Internal error, please retry later." : "The request was rejected."));

    public void WriteTo(Utf8JsonWriter writer, string requestId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("errorCode"u8, ErrorCode);
        writer.WriteString("errorMessage"u8, ErrorMessage);
        writer.WriteStartObject("context"u8);
        writer.WriteString("requestId"u8, requestId);
        writer.WriteString("requestType"u8, "incoming.Identity_Token");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

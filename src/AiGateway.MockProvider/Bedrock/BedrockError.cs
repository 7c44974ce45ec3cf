using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Bedrock;

/// <summary>A Bedrock error answer: status, exception name (in <c>x-amzn-ErrorType</c>) and <c>{"message"}</c>.</summary>
internal sealed record BedrockError(int Status, string Type, string Message)
{
    private const string ErrorTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.bedrock/";

    public static BedrockError Validation(string message) => new(StatusCodes.Status400BadRequest, "ValidationException", message);

    public static BedrockError InvalidSignature(string message) => new(StatusCodes.Status403Forbidden, "InvalidSignatureException", message);

    public static BedrockError UnrecognizedClient() => new(StatusCodes.Status403Forbidden, "UnrecognizedClientException", "The security token included in the request is invalid.");

    public static BedrockError MissingAuthentication() => new(StatusCodes.Status403Forbidden, "MissingAuthenticationTokenException", "Missing Authentication Token");

    /// <summary>The exception Bedrock answers a status with (provider-apis.md §4.7).</summary>
    public static BedrockError ForStatus(int status, string? message) => status switch
    {
        400 => new(status, "ValidationException", message ?? "Malformed input request, please reformat your input and try again."),
        403 => new(status, "AccessDeniedException", message ?? "You don't have access to the model with the specified model ID."),
        404 => new(status, "ResourceNotFoundException", message ?? "Could not resolve the foundation model from the provided model identifier."),
        408 => new(status, "ModelTimeoutException", message ?? "Model has timed out in processing the request."),
        424 => new(status, "ModelErrorException", message ?? "The model failed to process the request."),
        429 => new(status, "ThrottlingException", message ?? "Too many requests, please wait before trying again."),
        503 => new(status, "ServiceUnavailableException", message ?? "Bedrock is unable to process your request."),
        _ => new(status, "InternalServerException", message ?? "The server encountered an internal error while processing the request."),
    };

    public Task WriteAsync(HttpContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = Json.JsonBodies.Serialize(Message, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteString("message"u8, m);
            w.WriteEndObject();
        });
        var response = context.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        response.Headers["x-amzn-ErrorType"] = Type + ErrorTypeSuffix;
        return response.Body.WriteAsync(body, ct).AsTask();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Status} {Type}: {Message}");
}

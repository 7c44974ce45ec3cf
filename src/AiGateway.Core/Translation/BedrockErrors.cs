using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;

namespace AiGateway.Core.Translation;

/// <summary>
/// Bedrock error answers to OpenAI errors (provider-apis.md §4.7): the message from the JSON body
/// (<c>message</c> or <c>Message</c>), the error name from <c>x-amzn-ErrorType</c> (the part before
/// <c>:</c>) or, without it, from the status; the status is kept.
/// </summary>
internal static class BedrockErrors
{
    /// <summary>The exception name from an <c>x-amzn-ErrorType</c> value, e.g. <c>ThrottlingException</c>.</summary>
    public static string? ErrorTypeOf(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var colon = header.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? header : header[..colon]).Trim();
        return name.Length == 0 ? null : name;
    }

    /// <summary>The exception Bedrock answers with for a status (the table of §4.7), when no header names it.</summary>
    public static string? DefaultErrorType(int status) => status switch
    {
        400 => "ValidationException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        408 => "ModelTimeoutException",
        424 => "ModelErrorException",
        429 => "ThrottlingException",
        500 => "InternalServerException",
        503 => "ServiceUnavailableException",
        _ => null,
    };

    /// <summary>Writes the OpenAI error for a Bedrock error body.</summary>
    public static void Write(int status, string? errorType, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8))
                    {
                        reader.Read();
                        message = reader.TokenType == JsonTokenType.String ? reader.GetString() : message;
                    }
                    else if (reader.ValueTextEquals("__type"u8))
                    {
                        reader.Read();
                        if (errorType is null && reader.TokenType == JsonTokenType.String)
                        {
                            var type = reader.GetString()!;
                            errorType = ErrorTypeOf(type[(type.LastIndexOf('#') + 1)..]);
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null)
        {
            if (!ErrorBodyNormalizer.TryNormalize(status, body, output))
            {
                output.Write(body);
            }

            return;
        }

        OpenAiErrorWriter.Write(new ClientError(status, message, OpenAiErrorWriter.TypeFor(status), null, errorType ?? DefaultErrorType(status)), output);
    }

    /// <summary>The OpenAI error for an error status that came without a body.</summary>
    public static byte[] ForEmptyBody(int status, string? errorType) =>
        errorType is null
            ? ErrorBodyNormalizer.ForEmptyBody(status)
            : OpenAiErrorWriter.ToBytes(new ClientError(status, $"The provider answered {status} {errorType}.", OpenAiErrorWriter.TypeFor(status), null, errorType));

    /// <summary>The OpenAI error type of an exception inside a ConverseStream (<c>:exception-type</c>).</summary>
    public static string StreamErrorType(string? exceptionType) => exceptionType switch
    {
        "throttlingException" or "serviceQuotaExceededException" => "rate_limit_error",
        "validationException" => "invalid_request_error",
        "accessDeniedException" => "permission_error",
        _ => "server_error",
    };
}

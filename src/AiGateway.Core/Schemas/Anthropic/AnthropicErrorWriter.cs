using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Anthropic;

/// <summary>
/// Writes Anthropic's error envelope, <c>{"type":"error","error":{"type","message"}}</c>, and recognises
/// it. The error type follows the HTTP status (provider-apis.md §3.5), so Anthropic's SDKs pick the
/// matching exception.
/// </summary>
public static class AnthropicErrorWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="error"/> as Anthropic error JSON.</summary>
    public static void Write(ClientError error, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(error);
        Write(error.Status, error.Message, output);
    }

    /// <summary>Writes an Anthropic error for <paramref name="status"/> with <paramref name="message"/>.</summary>
    public static void Write(int status, string message, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error");
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, TypeFor(status));
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Returns <paramref name="error"/> as Anthropic error JSON bytes.</summary>
    public static byte[] ToBytes(ClientError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(error, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The Anthropic <c>error.type</c> for an HTTP status. 503 (Envoy's "no healthy upstream", a provider's
    /// "unavailable") is <c>overloaded_error</c>: a capacity problem the client should retry with backoff.
    /// Other 5xx are <c>api_error</c>; Anthropic has no <c>internal_server_error</c> type.
    /// </summary>
    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        408 or 504 => "timeout_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    /// <summary>True when <paramref name="body"/> is <c>{"type":"error","error":{...}}</c>.</summary>
    public static bool IsAnthropicError(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        var typeIsError = false;
        var hasErrorObject = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    typeIsError = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("error"u8);
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    hasErrorObject = reader.TokenType == JsonTokenType.StartObject;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return typeIsError && hasErrorObject && reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>Writes OpenAI's error envelope: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public static class OpenAiErrorWriter
{
    // JSON for API clients, never embedded in HTML: keep quotes and non-ASCII text readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="error"/> as OpenAI error JSON.</summary>
    public static void Write(ClientError error, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(error);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, error.Message);
        writer.WriteString("type"u8, error.Type);
        WriteNullable(writer, "param"u8, error.Param);
        WriteNullable(writer, "code"u8, error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the mid-stream error event OpenAI sends when a stream fails after it started:
    /// <c>data: {"error":{...}}</c> and the blank line that ends the event.
    /// </summary>
    public static void WriteStreamEvent(string message, string type, string? code, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("data: "u8);
        Write(new ClientError(0, message, type, null, code), output);
        output.Write("\n\n"u8);
    }

    /// <summary>Returns <paramref name="error"/> as OpenAI error JSON bytes.</summary>
    public static byte[] ToBytes(ClientError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(error, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>True when <paramref name="body"/> is a JSON object whose <c>error</c> member is an object.</summary>
    public static bool IsOpenAiError(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isError)
                {
                    return reader.TokenType == JsonTokenType.StartObject;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }

    /// <summary>The OpenAI error type for an HTTP status.</summary>
    public static string TypeFor(int status) => status switch
    {
        400 or 404 or 405 or 409 or 413 or 415 or 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        408 or 504 => "timeout_error",
        429 => "rate_limit_error",
        _ => "server_error",
    };

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
}

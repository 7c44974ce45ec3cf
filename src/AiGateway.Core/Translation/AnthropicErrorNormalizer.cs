using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.Anthropic;

namespace AiGateway.Core.Translation;

/// <summary>
/// Turns any error body a Messages client could receive into Anthropic error JSON with the same status:
/// Anthropic errors pass unchanged, OpenAI error JSON (from the OpenAI side of a translation, or the
/// gateway's own replies) keeps its message, and anything else (a proxy's text, Envoy's local replies)
/// gets a message naming the status.
/// </summary>
public static class AnthropicErrorNormalizer
{
    /// <summary>Writes an Anthropic error for <paramref name="status"/> unless <paramref name="body"/> already is one.</summary>
    /// <returns>True when <paramref name="output"/> holds a replacement.</returns>
    public static bool TryNormalize(int status, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        if (AnthropicErrorWriter.IsAnthropicError(body))
        {
            return false;
        }

        AnthropicErrorWriter.Write(status, OpenAiErrorMessage(body) ?? ErrorBodyNormalizer.MessageFor(status, body), output);
        return true;
    }

    /// <summary>The Anthropic error JSON for a status that came without a body.</summary>
    public static byte[] ForEmptyBody(int status)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        AnthropicErrorWriter.Write(status, ErrorBodyNormalizer.MessageFor(status, default), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>error.message</c> of an OpenAI error body, or null when the body is not one.</summary>
    public static string? OpenAiErrorMessage(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (!isError || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                string? message = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isMessage = reader.ValueTextEquals("message"u8);
                    reader.Read();
                    if (isMessage && reader.TokenType == JsonTokenType.String)
                    {
                        message = reader.GetString();
                    }

                    reader.Skip();
                }

                return string.IsNullOrEmpty(message) ? null : message;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}

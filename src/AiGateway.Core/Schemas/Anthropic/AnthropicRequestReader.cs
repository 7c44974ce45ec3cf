using System.Text.Json;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Anthropic;

/// <summary>
/// Reads the routing fields of an Anthropic Messages request (<c>model</c>, <c>stream</c>,
/// <c>prefer_provider</c>) in one forward pass, validating the whole document and the fields every
/// provider needs (<c>model</c>, <c>max_tokens</c>, <c>messages</c>) without deserializing it.
/// </summary>
public static class AnthropicRequestReader
{
    /// <summary>Parses <paramref name="body"/>; returns null and sets <paramref name="error"/> when the client is at fault.</summary>
    public static ParsedRequest? Read(ReadOnlyMemory<byte> body, out ClientError? error)
    {
        error = null;
        string? model = null;
        string? prefer = null;
        var stream = false;
        var hasMaxTokens = false;
        var hasMessages = false;
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 128 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = ClientError.MalformedJson("the body must be a JSON object");
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        model = reader.GetString();
                    }
                    else
                    {
                        error ??= Invalid("model", "model: Input should be a valid string");
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("max_tokens"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var maxTokens) || maxTokens < 1)
                    {
                        error ??= Invalid("max_tokens", "max_tokens: Input should be an integer greater than or equal to 1");
                    }

                    hasMaxTokens = true;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("messages"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        error ??= Invalid("messages", "messages: Input should be a valid list");
                    }

                    hasMessages = true;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("prefer_provider"u8))
                {
                    reader.Read();
                    prefer = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = ClientError.MalformedJson("unexpected content after the JSON object");
                return null;
            }
        }
        catch (JsonException e)
        {
            error = ClientError.MalformedJson(e.LineNumber is { } line ? $"invalid JSON at line {line + 1}, byte {e.BytePositionInLine + 1}" : "invalid JSON");
            return null;
        }

        if (error is not null)
        {
            return null;
        }

        // Anthropic names every missing field the same way ("<field>: Field required").
        error = string.IsNullOrEmpty(model) ? Missing("model", "missing_model")
            : !hasMaxTokens ? Missing("max_tokens", "missing_max_tokens")
            : !hasMessages ? Missing("messages", "missing_messages")
            : null;
        if (error is not null)
        {
            return null;
        }

        return new ParsedRequest(EndpointKind.Messages, body, model!, stream, ClientWantsUsage: true, string.IsNullOrEmpty(prefer) ? null : prefer);
    }

    private static ClientError Missing(string field, string code) =>
        new(400, $"{field}: Field required", "invalid_request_error", field, code);

    private static ClientError Invalid(string field, string message) =>
        new(400, message, "invalid_request_error", field, "invalid_type");
}

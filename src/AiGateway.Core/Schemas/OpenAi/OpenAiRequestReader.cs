using System.Text.Json;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>
/// Reads the routing fields of an OpenAI request (<c>model</c>, <c>stream</c>,
/// <c>stream_options.include_usage</c>, <c>prefer_provider</c>) in one forward pass, validating the whole
/// document without deserializing it.
/// </summary>
public static class OpenAiRequestReader
{
    /// <summary>Parses <paramref name="body"/>; returns null and sets <paramref name="error"/> when the client is at fault.</summary>
    public static ParsedRequest? Read(EndpointKind endpoint, ReadOnlyMemory<byte> body, out ClientError? error)
    {
        error = null;
        string? model = null;
        string? prefer = null;
        var stream = false;
        var includeUsage = false;
        string? user = null;
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
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        error = new ClientError(400, "'model' must be a string.", "invalid_request_error", "model", "invalid_type");
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("stream_options"u8))
                {
                    reader.Read();
                    includeUsage = ReadIncludeUsage(ref reader);
                }
                else if (reader.ValueTextEquals("prefer_provider"u8))
                {
                    reader.Read();
                    prefer = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("user"u8))
                {
                    reader.Read();
                    user = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
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
            error = ClientError.MalformedJson(Describe(e));
            return null;
        }

        if (error is not null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(model))
        {
            error = ClientError.MissingModel();
            return null;
        }

        return new ParsedRequest(endpoint, body, model, stream && endpoint == EndpointKind.ChatCompletions, includeUsage, string.IsNullOrEmpty(prefer) ? null : prefer)
        {
            User = string.IsNullOrEmpty(user) ? null : user,
        };
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var include = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                include = reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
        }

        return include;
    }

    // JsonException messages name the position but never echo the input, so they carry no PII.
    private static string Describe(JsonException e) =>
        e.LineNumber is { } line ? $"invalid JSON at line {line + 1}, byte {e.BytePositionInLine + 1}" : "invalid JSON";
}

using System.Text.Json;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>
/// Reads an OpenAI request's <c>response_format</c> for providers that have no JSON mode of their own and
/// take it as a forced tool whose input schema is the wanted output (Anthropic, Bedrock Converse).
/// </summary>
public static class OpenAiResponseFormat
{
    /// <summary>True when the OpenAI request asks for JSON output (json_object or json_schema).</summary>
    public static bool AsksForJson(ReadOnlySpan<byte> openAiBody)
    {
        var reader = new Utf8JsonReader(openAiBody);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("response_format"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isType = reader.ValueTextEquals("type"u8);
                    reader.Read();
                    if (isType)
                    {
                        return reader.TokenType == JsonTokenType.String && (reader.ValueTextEquals("json_object"u8) || reader.ValueTextEquals("json_schema"u8));
                    }

                    reader.Skip();
                }

                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }

    /// <summary>
    /// The input schema of the tool that stands for JSON mode: the json_schema's schema, or any object for
    /// json_object; <c>default</c> when no JSON output is asked for or (with <paramref name="error"/>) when
    /// the format cannot be expressed as a tool input.
    /// </summary>
    public static JsonElement JsonSchema(JsonElement root, out string? error)
    {
        error = null;
        if (!root.TryGetProperty("response_format", out var format) || format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("type", out var type))
        {
            return default;
        }

        switch (type.ValueKind == JsonValueKind.String ? type.GetString() : null)
        {
            case "json_object":
                using (var any = JsonDocument.Parse("""{"type":"object"}"""))
                {
                    return any.RootElement.Clone();
                }

            case "json_schema":
                if (!format.TryGetProperty("json_schema", out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object
                    || !jsonSchema.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    error = "json_schema needs a 'schema' object";
                    return default;
                }

                if (!schema.TryGetProperty("type", out var schemaType) || schemaType.ValueKind != JsonValueKind.String || schemaType.GetString() != "object")
                {
                    error = "its JSON output must be an object (a schema with \"type\": \"object\")";
                    return default;
                }

                return schema;
            default:
                return default;
        }
    }
}

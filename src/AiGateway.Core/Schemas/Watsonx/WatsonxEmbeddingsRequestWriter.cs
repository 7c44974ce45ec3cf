using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Watsonx;

/// <summary>
/// Writes a watsonx.ai embeddings request from an OpenAI one (provider-apis.md §6.7):
/// <c>{"inputs":[...],"model_id","project_id"|"space_id"}</c>. watsonx embeds text only and has no
/// <c>dimensions</c>: token-array inputs and <c>dimensions</c> are client errors.
/// </summary>
public static class WatsonxEmbeddingsRequestWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the watsonx body; returns a client error instead when the request cannot be expressed.</summary>
    public static ClientError? Write(ReadOnlyMemory<byte> openAiBody, string model, ProviderDefinition provider, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(provider);
        using var document = JsonDocument.Parse(openAiBody);
        var root = document.RootElement;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (property.Name)
            {
                case "model" or "input" or "user" or "prefer_provider":
                    break;
                case "encoding_format":
                    var format = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (format is not ("float" or "base64"))
                    {
                        return new ClientError(400, "'encoding_format' must be float or base64.", "invalid_request_error", "encoding_format", "invalid_value");
                    }

                    break;
                default:
                    return new ClientError(400, $"'{property.Name}' is not supported by this provider (watsonx.ai) for embeddings.", "invalid_request_error", property.Name, "unsupported_parameter");
            }
        }

        if (!root.TryGetProperty("input", out var input))
        {
            return new ClientError(400, "Missing required parameter: 'input'.", "invalid_request_error", "input", "missing_required_parameter");
        }

        var texts = input.ValueKind switch
        {
            JsonValueKind.String => [input],
            JsonValueKind.Array when input.GetArrayLength() > 0 && input.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String) => input.EnumerateArray().ToArray(),
            _ => null,
        };
        if (texts is null)
        {
            return new ClientError(400, "'input' must be a string or a non-empty array of strings: this provider (watsonx.ai) embeds text, not token arrays.", "invalid_request_error", "input", "unsupported_input");
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("inputs"u8);
        foreach (var text in texts)
        {
            text.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("model_id"u8, model);
        WatsonxScope.Write(writer, provider);
        writer.WriteEndObject();
        return null;
    }

    /// <summary>True when the OpenAI request asks for base64 vectors (<c>encoding_format: "base64"</c>).</summary>
    public static bool WantsBase64(ReadOnlySpan<byte> openAiBody)
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
                var isFormat = reader.ValueTextEquals("encoding_format"u8);
                reader.Read();
                if (isFormat)
                {
                    return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("base64"u8);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}

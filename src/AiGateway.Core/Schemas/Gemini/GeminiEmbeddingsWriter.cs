using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Gemini;

/// <summary>
/// Writes Gemini embedding requests from an OpenAI embeddings request (provider-apis.md §5.1): AI Studio
/// <c>batchEmbedContents</c> (one request per input) or Vertex AI <c>predict</c> (one instance per input);
/// <c>dimensions</c> becomes <c>outputDimensionality</c>. Token-id inputs are a client error: Gemini takes text.
/// </summary>
public static class GeminiEmbeddingsWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the body for <paramref name="flavour"/>; returns a client error instead when it cannot be expressed.</summary>
    /// <param name="openAiBody">The client's embeddings request.</param>
    /// <param name="model">The model (AI Studio repeats it in every request as <c>models/{model}</c>).</param>
    /// <param name="flavour">AI Studio or Vertex AI.</param>
    /// <param name="output">Receives the Gemini body.</param>
    public static ClientError? Write(ReadOnlyMemory<byte> openAiBody, string model, GeminiFlavour flavour, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var document = JsonDocument.Parse(openAiBody);
        var root = document.RootElement;
        if (!root.TryGetProperty("input", out var input))
        {
            return Invalid("input", "'input' is required.");
        }

        var texts = new List<string>();
        if (input.ValueKind == JsonValueKind.String)
        {
            texts.Add(input.GetString()!);
        }
        else if (input.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return new ClientError(400, "'input' must be a string or an array of strings for this provider (Gemini): it does not take token ids.", "invalid_request_error", "input", "unsupported_parameter");
                }

                texts.Add(item.GetString()!);
            }
        }
        else
        {
            return Invalid("input", "'input' must be a string or an array of strings.");
        }

        if (texts.Count == 0 || texts.Exists(string.IsNullOrEmpty))
        {
            return Invalid("input", "'input' cannot be empty or contain an empty string.");
        }

        int? dimensions = null;
        if (root.TryGetProperty("dimensions", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var value) || value < 1)
            {
                return Invalid("dimensions", "'dimensions' must be a positive integer.");
            }

            dimensions = value;
        }

        if (root.TryGetProperty("encoding_format", out var format) && format.ValueKind != JsonValueKind.Null && format.GetString() is not ("float" or "base64"))
        {
            return Invalid("encoding_format", "'encoding_format' must be float or base64.");
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        if (flavour == GeminiFlavour.AiStudio)
        {
            var resource = model.Contains('/', StringComparison.Ordinal) ? model : "models/" + model;
            writer.WriteStartArray("requests"u8);
            foreach (var text in texts)
            {
                writer.WriteStartObject();
                writer.WriteString("model"u8, resource);
                writer.WriteStartObject("content"u8);
                writer.WriteStartArray("parts"u8);
                writer.WriteStartObject();
                writer.WriteString("text"u8, text);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                if (dimensions is { } n)
                {
                    writer.WriteNumber("outputDimensionality"u8, n);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartArray("instances"u8);
            foreach (var text in texts)
            {
                writer.WriteStartObject();
                writer.WriteString("content"u8, text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (dimensions is { } n)
            {
                writer.WriteStartObject("parameters"u8);
                writer.WriteNumber("outputDimensionality"u8, n);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
        return null;
    }

    /// <summary>True when the request asks for <c>encoding_format: base64</c>.</summary>
    public static bool WantsBase64(ReadOnlySpan<byte> openAiBody)
    {
        if (openAiBody.IsEmpty)
        {
            return false;
        }

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
            return false;
        }

        return false;
    }

    private static ClientError Invalid(string param, string message) => new(400, message, "invalid_request_error", param, "invalid_value");
}

using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Bedrock;

/// <summary>
/// Writes a Bedrock InvokeModel body for an OpenAI embeddings request (provider-apis.md §4.9): Amazon Titan
/// text embeddings take one <c>inputText</c> per call, so an array input must hold exactly one string
/// (more is a client error: the gateway makes one upstream call per request); Cohere embed takes a
/// <c>texts</c> array. Token-id inputs and options a family cannot honour are client errors.
/// </summary>
public static class InvokeEmbeddingsRequestWriter
{
    /// <summary>The most texts Cohere embed takes in one call.</summary>
    public const int CohereMaxTexts = 96;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The embeddings families Bedrock's InvokeModel is translated for.</summary>
    public enum Family
    {
        /// <summary>Not an embeddings model this gateway knows.</summary>
        Unknown,

        /// <summary>amazon.titan-embed-text-v1 / -v2.</summary>
        Titan,

        /// <summary>cohere.embed-*.</summary>
        Cohere,
    }

    /// <summary>The family of a Bedrock model id (base id, inference profile or ARN).</summary>
    public static Family FamilyOf(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        if (modelId.Contains("amazon.titan-embed-text", StringComparison.Ordinal))
        {
            return Family.Titan;
        }

        return modelId.Contains("cohere.embed", StringComparison.Ordinal) ? Family.Cohere : Family.Unknown;
    }

    /// <summary>Writes the InvokeModel body; returns a client error instead when the request cannot be expressed.</summary>
    public static ClientError? Write(ReadOnlyMemory<byte> openAiBody, string modelId, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        using var document = JsonDocument.Parse(openAiBody);
        var root = document.RootElement;
        var family = FamilyOf(modelId);
        if (family == Family.Unknown)
        {
            return new ClientError(400, $"Model '{modelId}' is not an embeddings model this gateway can call on AWS Bedrock (Amazon Titan text or Cohere embed).", "invalid_request_error", "model", "unsupported_model");
        }

        if (!root.TryGetProperty("input", out var input))
        {
            return new ClientError(400, "'input' is required.", "invalid_request_error", "input", "missing_required_parameter");
        }

        List<string> texts = [];
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
                    return new ClientError(400, "AWS Bedrock embeddings take text inputs only, not token ids.", "invalid_request_error", "input", "unsupported_input");
                }

                texts.Add(item.GetString()!);
            }
        }
        else
        {
            return new ClientError(400, "'input' must be a string or an array of strings.", "invalid_request_error", "input", "invalid_type");
        }

        if (texts.Count == 0 || texts.Any(string.IsNullOrEmpty))
        {
            return new ClientError(400, "'input' must not be empty.", "invalid_request_error", "input", "invalid_value");
        }

        if (root.TryGetProperty("encoding_format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString() is not ("float" or "base64"))
        {
            return new ClientError(400, $"encoding_format '{format.GetString()}' is not one of float, base64.", "invalid_request_error", "encoding_format", "invalid_value");
        }

        int? dimensions = root.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : null;
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        if (family == Family.Titan)
        {
            if (texts.Count > 1)
            {
                return new ClientError(400, $"Amazon Titan text embeddings take one input per request; this request has {texts.Count}. Send one request per input.", "invalid_request_error", "input", "too_many_inputs");
            }

            if (dimensions is not null && modelId.Contains("titan-embed-text-v1", StringComparison.Ordinal))
            {
                return new ClientError(400, "'dimensions' is not supported by amazon.titan-embed-text-v1 (v2 takes 256, 512 or 1024).", "invalid_request_error", "dimensions", "unsupported_parameter");
            }

            writer.WriteStartObject();
            writer.WriteString("inputText"u8, texts[0]);
            if (dimensions is { } size)
            {
                writer.WriteNumber("dimensions"u8, size);
            }

            writer.WriteEndObject();
            return null;
        }

        if (dimensions is not null)
        {
            return new ClientError(400, "'dimensions' is not supported by Cohere embed on AWS Bedrock.", "invalid_request_error", "dimensions", "unsupported_parameter");
        }

        if (texts.Count > CohereMaxTexts)
        {
            return new ClientError(400, $"Cohere embed takes at most {CohereMaxTexts} inputs per request; this request has {texts.Count}.", "invalid_request_error", "input", "too_many_inputs");
        }

        writer.WriteStartObject();
        writer.WriteStartArray("texts"u8);
        foreach (var text in texts)
        {
            writer.WriteStringValue(text);
        }

        writer.WriteEndArray();
        writer.WriteString("input_type"u8, "search_document");
        writer.WriteEndObject();
        return null;
    }
}

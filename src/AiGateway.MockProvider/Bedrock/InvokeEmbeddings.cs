using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Embeddings;
using AiGateway.MockProvider.Json;
using AiGateway.MockProvider.Tokens;

namespace AiGateway.MockProvider.Bedrock;

/// <summary>
/// InvokeModel for embeddings models: Amazon Titan text (<c>{"inputText","dimensions"}</c> →
/// <c>{"embedding","inputTextTokenCount"}</c>) and Cohere embed (<c>{"texts","input_type"}</c> →
/// <c>{"embeddings":[[...]],"id","response_type","texts"}</c>). Vectors are the mock's deterministic ones.
/// </summary>
internal static class InvokeEmbeddings
{
    /// <summary>The body and input token count, or the 400 Bedrock would answer.</summary>
    public static (byte[]? Body, int Tokens, BedrockError? Error) Answer(string modelId, JsonElement root, int defaultDimensions, long number)
    {
        if (modelId.Contains("titan-embed", StringComparison.Ordinal))
        {
            if (!root.TryGetProperty("inputText", out var input) || input.ValueKind != JsonValueKind.String || input.GetString()!.Length == 0)
            {
                return (null, 0, BedrockError.Validation("Malformed input request: #: required key [inputText] not found, please reformat your input and try again."));
            }

            var dimensions = root.TryGetProperty("dimensions", out var d) ? d.GetInt32() : defaultDimensions;
            if (dimensions is < 1 or > EmbeddingLimits.MaxDimensions)
            {
                return (null, 0, BedrockError.Validation($"Malformed input request: dimensions {dimensions} is not valid."));
            }

            var text = input.GetString()!;
            var tokens = TokenEstimator.ForText(text.Length);
            var vector = EmbeddingVectorGenerator.Generate(Encoding.UTF8.GetBytes(text), dimensions);
            return (JsonBodies.Serialize((vector, tokens), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteStartArray("embedding"u8);
                foreach (var value in s.vector)
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
                w.WriteNumber("inputTextTokenCount"u8, s.tokens);
                w.WriteEndObject();
            }), tokens, null);
        }

        if (modelId.Contains("cohere.embed", StringComparison.Ordinal))
        {
            if (!root.TryGetProperty("texts", out var texts) || texts.ValueKind != JsonValueKind.Array || texts.GetArrayLength() == 0)
            {
                return (null, 0, BedrockError.Validation("Malformed input request: #: required key [texts] not found, please reformat your input and try again."));
            }

            if (!root.TryGetProperty("input_type", out _))
            {
                return (null, 0, BedrockError.Validation("Malformed input request: #: required key [input_type] not found, please reformat your input and try again."));
            }

            var strings = texts.EnumerateArray().Select(t => t.GetString() ?? string.Empty).ToList();
            var tokens = strings.Sum(s => TokenEstimator.ForText(s.Length));
            var vectors = strings.Select(s => EmbeddingVectorGenerator.Generate(Encoding.UTF8.GetBytes(s), defaultDimensions)).ToList();
            return (JsonBodies.Serialize((strings, vectors, number), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteStartArray("embeddings"u8);
                foreach (var vector in s.vectors)
                {
                    w.WriteStartArray();
                    foreach (var value in vector)
                    {
                        w.WriteNumberValue(value);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteString("id"u8, "emb_mock_" + s.number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("response_type"u8, "embeddings_floats");
                w.WriteStartArray("texts"u8);
                foreach (var text in s.strings)
                {
                    w.WriteStringValue(text);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }), tokens, null);
        }

        return (null, 0, BedrockError.Validation($"The mock serves InvokeModel for Titan and Cohere embeddings models only, not '{modelId}'."));
    }
}

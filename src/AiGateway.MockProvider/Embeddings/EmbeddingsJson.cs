using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Embeddings;

/// <summary>Writes the embeddings <c>list</c> response.</summary>
internal static class EmbeddingsJson
{
    public static byte[] Response(string model, IReadOnlyList<float[]> vectors, bool base64, int promptTokens) =>
        JsonBodies.Serialize((model, vectors, base64, promptTokens), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("object"u8, "list");
            w.WriteStartArray("data"u8);
            for (var i = 0; i < s.vectors.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("object"u8, "embedding");
                w.WriteNumber("index"u8, i);
                if (s.base64)
                {
                    w.WriteBase64String("embedding"u8, EmbeddingVectorGenerator.ToLittleEndianBytes(s.vectors[i]));
                }
                else
                {
                    w.WriteStartArray("embedding"u8);
                    foreach (var value in s.vectors[i])
                    {
                        w.WriteNumberValue(value);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model"u8, s.model);
            w.WriteStartObject("usage"u8);
            w.WriteNumber("prompt_tokens"u8, s.promptTokens);
            w.WriteNumber("total_tokens"u8, s.promptTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        });
}

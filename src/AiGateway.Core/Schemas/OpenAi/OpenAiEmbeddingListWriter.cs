using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>
/// Writes an OpenAI embedding list (<c>{"object":"list","data":[{"object":"embedding","index","embedding"}],"model",
/// "usage"}</c>) from a provider's vectors: numbers copied as the provider wrote them, or, when the client asked for
/// <c>encoding_format: base64</c>, little-endian float32 values in base64. One writer for every provider whose
/// embeddings answer is translated.
/// </summary>
internal static class OpenAiEmbeddingListWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the list; throws <see cref="InvalidOperationException"/> when a vector is not an array of numbers.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<JsonElement> vectors, string model, long tokens, bool base64)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list");
        writer.WriteStartArray("data"u8);
        for (var i = 0; i < vectors.Count; i++)
        {
            var values = vectors[i];
            if (values.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidOperationException("An embedding has no values.");
            }

            writer.WriteStartObject();
            writer.WriteString("object"u8, "embedding");
            writer.WriteNumber("index"u8, i);
            writer.WritePropertyName("embedding"u8);
            if (base64)
            {
                WriteBase64(writer, values);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var value in values.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.Number)
                    {
                        throw new InvalidOperationException("An embedding value is not a number.");
                    }

                    value.WriteTo(writer);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("model"u8, model);
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, tokens);
        writer.WriteNumber("total_tokens"u8, tokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteBase64(Utf8JsonWriter writer, JsonElement values)
    {
        var length = values.GetArrayLength() * sizeof(float);
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var offset = 0;
            foreach (var value in values.EnumerateArray())
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), value.GetSingle());
                offset += sizeof(float);
            }

            writer.WriteBase64StringValue(bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}

using System.Buffers;
using System.Text.Json;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>
/// Writes a provider-bound copy of an OpenAI request: gateway-only fields removed, <c>model</c>
/// replaced, usage requested for streams. Every other property is copied byte for byte.
/// </summary>
public static class OpenAiRequestWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Copies <paramref name="original"/> into <paramref name="output"/> with the rewrites applied.</summary>
    /// <param name="original">The client's body (already validated JSON object).</param>
    /// <param name="model">The model name the provider expects.</param>
    /// <param name="requestUsage">True to force <c>stream_options.include_usage: true</c>.</param>
    /// <param name="output">Receives the new body.</param>
    public static void Write(ReadOnlySpan<byte> original, string model, bool requestUsage, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        var reader = new Utf8JsonReader(original);
        reader.Read();
        writer.WriteStartObject();
        var wroteStreamOptions = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prefer_provider"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                reader.Skip();
                writer.WriteString("model"u8, model);
                continue;
            }

            if (requestUsage && reader.ValueTextEquals("stream_options"u8))
            {
                reader.Read();
                WriteStreamOptions(ref reader, original, writer);
                wroteStreamOptions = true;
                continue;
            }

            CopyProperty(ref reader, original, writer);
        }

        if (requestUsage && !wroteStreamOptions)
        {
            writer.WriteStartObject("stream_options"u8);
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteStreamOptions(ref Utf8JsonReader reader, ReadOnlySpan<byte> original, Utf8JsonWriter writer)
    {
        writer.WriteStartObject("stream_options"u8);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("include_usage"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                CopyProperty(ref reader, original, writer);
            }
        }
        else
        {
            reader.Skip();
        }

        writer.WriteBoolean("include_usage"u8, true);
        writer.WriteEndObject();
    }

    /// <summary>Copies the property at the reader (positioned on its name) and its raw value.</summary>
    private static void CopyProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> original, Utf8JsonWriter writer)
    {
        if (reader.ValueIsEscaped)
        {
            writer.WritePropertyName(reader.GetString()!);
        }
        else
        {
            writer.WritePropertyName(reader.ValueSpan);
        }

        reader.Read();
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        writer.WriteRawValue(original[start..(int)reader.BytesConsumed], skipInputValidation: true);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// watsonx.ai embeddings to OpenAI's list (provider-apis.md §6.7): <c>results[i]</c> to <c>data[i]</c>,
/// <c>input_token_count</c> to <c>prompt_tokens</c> and <c>total_tokens</c>; vectors as numbers or, when the
/// client asked for <c>encoding_format: base64</c>, as base64 of little-endian float32 values.
/// </summary>
public sealed class WatsonxEmbeddingsResponseTranslator(string requestedModel, bool base64) : IResponseTranslator
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private bool _error;
    private int _status;
    private TokenUsage _usage;

    /// <inheritdoc />
    public TokenUsage Usage => _usage;

    /// <inheritdoc />
    public int? StatusOverride { get; private set; }

    /// <inheritdoc />
    public ResponseHeadersResult OnHeaders(int status, string? contentType, bool endOfStream)
    {
        _status = status;
        _error = status >= 400;
        return _error && endOfStream
            ? new ResponseHeadersResult(false, "application/json", ErrorBodyNormalizer.ForEmptyBody(status))
            : new ResponseHeadersResult(false, "application/json", null);
    }

    /// <inheritdoc />
    public bool OnBody(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        if (_error)
        {
            WatsonxErrors.Write(_status, chunk, output);
            return true;
        }

        var list = new ArrayBufferWriter<byte>(chunk.Length + 128);
        try
        {
            WriteList(chunk, list);
            output.Write(list.WrittenSpan);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            StatusOverride = 502;
            OpenAiErrorWriter.Write(new ClientError(502, "The provider's response could not be read.", "server_error", null, "bad_provider_response"), output);
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void WriteList(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var results = root.GetProperty("results");
        var tokens = root.TryGetProperty("input_token_count", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt64() : 0;
        _usage = new TokenUsage(tokens, 0, tokens, 0, true);
        var model = root.TryGetProperty("model_id", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : requestedModel;

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list");
        writer.WriteStartArray("data"u8);
        var index = 0;
        foreach (var result in results.EnumerateArray())
        {
            var embedding = result.GetProperty("embedding");
            writer.WriteStartObject();
            writer.WriteString("object"u8, "embedding");
            writer.WriteNumber("index"u8, index++);
            writer.WritePropertyName("embedding"u8);
            if (base64)
            {
                WriteBase64(writer, embedding);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var value in embedding.EnumerateArray())
                {
                    writer.WriteNumberValue(value.GetDouble());
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

    private static void WriteBase64(Utf8JsonWriter writer, JsonElement embedding)
    {
        var length = embedding.GetArrayLength() * sizeof(float);
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var offset = 0;
            foreach (var value in embedding.EnumerateArray())
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

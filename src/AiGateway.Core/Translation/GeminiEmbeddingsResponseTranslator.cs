using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.Gemini;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// Gemini embedding answers to an OpenAI embedding list: AI Studio <c>{"embeddings":[{"values"}]}</c> and
/// Vertex AI <c>{"predictions":[{"embeddings":{"values","statistics":{"token_count"}}}]}</c>. Vectors are
/// copied number by number, or packed as little-endian float32 base64 when the client asked for
/// <c>encoding_format: base64</c>. Usage: Vertex AI's token counts; AI Studio's <c>usageMetadata</c> when sent,
/// else zero. Google error bodies become OpenAI errors.
/// </summary>
/// <param name="model">The requested model, echoed back.</param>
/// <param name="base64">True to answer base64 strings instead of float arrays.</param>
public sealed class GeminiEmbeddingsResponseTranslator(string model, bool base64) : IResponseTranslator
{
    private int _status;
    private bool _error;
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
            GeminiErrorReader.WriteOpenAiError(_status, chunk, output);
            return true;
        }

        var list = new ArrayBufferWriter<byte>(chunk.Length + 256);
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
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var vectors = new List<JsonElement>();
        long tokens = 0;
        var reported = false;
        if (root.TryGetProperty("embeddings", out var embeddings) && embeddings.ValueKind == JsonValueKind.Array)
        {
            foreach (var embedding in embeddings.EnumerateArray())
            {
                vectors.Add(embedding.GetProperty("values"));
            }

            if (root.TryGetProperty("usageMetadata", out var usage) && usage.TryGetProperty("promptTokenCount", out var count) && count.ValueKind == JsonValueKind.Number)
            {
                tokens = count.GetInt64();
                reported = true;
            }
        }
        else if (root.TryGetProperty("predictions", out var predictions) && predictions.ValueKind == JsonValueKind.Array)
        {
            foreach (var prediction in predictions.EnumerateArray())
            {
                var embedding = prediction.GetProperty("embeddings");
                vectors.Add(embedding.GetProperty("values"));
                if (embedding.TryGetProperty("statistics", out var statistics) && statistics.TryGetProperty("token_count", out var count) && count.ValueKind == JsonValueKind.Number)
                {
                    tokens += (long)count.GetDouble();
                    reported = true;
                }
            }
        }
        else
        {
            throw new InvalidOperationException("The answer has neither embeddings nor predictions.");
        }

        _usage = new TokenUsage(tokens, 0, tokens, 0, reported);
        OpenAiEmbeddingListWriter.Write(output, vectors, model, tokens, base64);
    }
}

using System.Buffers;
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

        var vectors = new List<JsonElement>();
        foreach (var result in results.EnumerateArray())
        {
            vectors.Add(result.GetProperty("embedding"));
        }

        OpenAiEmbeddingListWriter.Write(output, vectors, model, tokens, base64);
    }
}

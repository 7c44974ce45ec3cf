using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// Bedrock InvokeModel embeddings answers to OpenAI's embeddings list (provider-apis.md §4.9): Titan's
/// <c>embedding</c> and Cohere's <c>embeddings</c> (v3 array or v4 <c>{"float":[...]}</c>) become
/// <c>data[i].embedding</c>, floats or base64 as the client asked; usage comes from
/// <c>inputTextTokenCount</c> or the <c>x-amzn-bedrock-input-token-count</c> header.
/// </summary>
public sealed class BedrockEmbeddingsResponseTranslator(string requestedModel, bool base64) : IResponseTranslator
{
    private int _status;
    private bool _error;
    private string? _errorType;
    private long? _headerTokens;
    private TokenUsage _usage;

    /// <inheritdoc />
    public TokenUsage Usage => _usage;

    /// <inheritdoc />
    public int? StatusOverride { get; private set; }

    /// <inheritdoc />
    public void OnResponseHeaders(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        _errorType = BedrockErrors.ErrorTypeOf(header("x-amzn-errortype"));
        if (long.TryParse(header("x-amzn-bedrock-input-token-count"), NumberStyles.None, CultureInfo.InvariantCulture, out var tokens))
        {
            _headerTokens = tokens;
        }
    }

    /// <inheritdoc />
    public ResponseHeadersResult OnHeaders(int status, string? contentType, bool endOfStream)
    {
        _status = status;
        _error = status >= 400;
        return new ResponseHeadersResult(false, "application/json", _error && endOfStream ? BedrockErrors.ForEmptyBody(status, _errorType) : null);
    }

    /// <inheritdoc />
    public bool OnBody(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        if (_error)
        {
            BedrockErrors.Write(_status, _errorType, chunk, output);
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
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var vectors = new List<JsonElement>();
        if (root.TryGetProperty("embedding", out var single) && single.ValueKind == JsonValueKind.Array)
        {
            vectors.Add(single);
        }
        else if (root.TryGetProperty("embeddings", out var many))
        {
            var array = many.ValueKind == JsonValueKind.Object ? many.GetProperty("float") : many;
            vectors.AddRange(array.EnumerateArray());
        }

        if (vectors.Count == 0 || vectors.Any(v => v.ValueKind != JsonValueKind.Array))
        {
            throw new InvalidOperationException("no embeddings in the answer");
        }

        var tokens = root.TryGetProperty("inputTextTokenCount", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt64() : _headerTokens ?? 0;
        _usage = new TokenUsage(tokens, 0, tokens, 0, root.TryGetProperty("inputTextTokenCount", out _) || _headerTokens is not null);

        OpenAiEmbeddingListWriter.Write(output, vectors, requestedModel, tokens, base64);
    }
}

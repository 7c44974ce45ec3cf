using System.Buffers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Streaming;

namespace AiGateway.Core.Tokens;

/// <summary>
/// Keeps the generated text of a stream the client receives (OpenAI chunks or Anthropic events), so the
/// output can be counted when the provider reports no usage. Collects the string values of
/// <c>content</c>, <c>text</c>, <c>arguments</c>, <c>partial_json</c>, <c>thinking</c> and
/// <c>reasoning_content</c>, up to <see cref="MaxChars"/> characters.
/// </summary>
public sealed class StreamedOutputCollector : IDisposable
{
    /// <summary>Text beyond this many characters is not kept (the count is then a lower bound).</summary>
    public const int MaxChars = 4 * 1024 * 1024;

    private readonly SseEventSplitter _splitter = new();
    private readonly StringBuilder _text = new();

    /// <summary>The characters collected so far.</summary>
    public int Length => _text.Length;

    /// <summary>Feeds the next bytes sent to the client.</summary>
    public void Feed(ReadOnlySpan<byte> chunk)
    {
        var text = _text;
        _splitter.Feed(chunk, ref text, OnEvent);
    }

    /// <summary>Counts the collected text for <paramref name="model"/>.</summary>
    public TokenCount Count(string model) => TokenCounter.CountText(model, _text.ToString());

    /// <inheritdoc />
    public void Dispose() => _splitter.Dispose();

    private static void OnEvent(ref StringBuilder text, ReadOnlySpan<byte> rawEvent, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data[0] != (byte)'{' || text.Length >= MaxChars)
        {
            return;
        }

        var reader = new Utf8JsonReader(data);
        var wanted = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        wanted = reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("arguments"u8)
                            || reader.ValueTextEquals("partial_json"u8) || reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("reasoning_content"u8);
                        break;
                    case JsonTokenType.String when wanted:
                        Append(ref reader, text);
                        wanted = false;
                        break;
                    default:
                        wanted = false;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A broken event adds nothing; the rest of the stream still counts.
        }
    }

    private static void Append(ref Utf8JsonReader reader, StringBuilder text)
    {
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var chars = ArrayPool<char>.Shared.Rent(length);
        try
        {
            var written = reader.CopyString(chars);
            text.Append(chars, 0, Math.Min(written, MaxChars - text.Length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}

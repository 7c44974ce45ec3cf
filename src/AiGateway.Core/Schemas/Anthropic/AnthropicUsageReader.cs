using System.Text.Json;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Schemas.Anthropic;

/// <summary>
/// Finds Anthropic usage without deserializing: the top-level <c>usage</c> of a message or a
/// <c>message_delta</c> event, and <c>message.usage</c> of a <c>message_start</c> event. Counts arrive in
/// pieces over a stream, so they are merged into a running <see cref="Counts"/>: a count that is present
/// replaces the previous one (Anthropic's counts are cumulative).
/// </summary>
internal static class AnthropicUsageReader
{
    /// <summary>Merges the usage found in <paramref name="json"/> (a message or a stream event) into <paramref name="counts"/>.</summary>
    /// <returns>False when the JSON is broken; <paramref name="counts"/> keeps what was read before the break.</returns>
    public static bool Read(ReadOnlySpan<byte> json, ref Counts counts)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            ReadObject(ref reader, ref counts, allowMessage: true);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadObject(ref Utf8JsonReader reader, ref Counts counts, bool allowMessage)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                ReadUsage(ref reader, ref counts);
            }
            else if (allowMessage && reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadObject(ref reader, ref counts, allowMessage: false);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadUsage(ref Utf8JsonReader reader, ref Counts counts)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        counts.Reported = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                counts.Input = ReadLong(ref reader, counts.Input);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                counts.Output = ReadLong(ref reader, counts.Output);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                counts.CacheRead = ReadLong(ref reader, counts.CacheRead);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                counts.CacheWrite = ReadLong(ref reader, counts.CacheWrite);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static long ReadLong(ref Utf8JsonReader reader, long current)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : current;
    }

    /// <summary>Anthropic's token counts as reported so far.</summary>
    public struct Counts
    {
        /// <summary>Uncached input tokens.</summary>
        public long Input;

        /// <summary>Output tokens.</summary>
        public long Output;

        /// <summary>Input tokens read from the cache.</summary>
        public long CacheRead;

        /// <summary>Input tokens written to the cache.</summary>
        public long CacheWrite;

        /// <summary>True once any usage object was seen.</summary>
        public bool Reported;

        /// <summary>The counts in OpenAI semantics: cached and cache-written tokens are part of the prompt (§8.2).</summary>
        public readonly TokenUsage ToTokenUsage()
        {
            if (!Reported)
            {
                return TokenUsage.None;
            }

            var prompt = Input + CacheRead + CacheWrite;
            return new TokenUsage(prompt, Output, prompt + Output, CacheRead, true) { CacheWriteInputTokens = CacheWrite };
        }
    }
}

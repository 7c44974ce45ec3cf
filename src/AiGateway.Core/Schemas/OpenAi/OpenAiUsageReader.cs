using System.Text.Json;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>Finds the top-level <c>usage</c> of an OpenAI response or stream chunk without deserializing it.</summary>
public static class OpenAiUsageReader
{
    /// <summary>Reads one JSON object. <paramref name="choicesEmpty"/> tells whether it had <c>"choices": []</c>.</summary>
    /// <returns>The usage, or <see cref="TokenUsage.None"/> when absent, null, or the JSON is broken.</returns>
    public static TokenUsage Read(ReadOnlySpan<byte> json, out bool choicesEmpty)
    {
        choicesEmpty = false;
        var usage = TokenUsage.None;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return usage;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    usage = ReadUsage(ref reader);
                }
                else if (reader.ValueTextEquals("x_groq"u8))
                {
                    // Groq streams put usage under x_groq on the last chunk (provider-apis.md §7).
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var isUsage = reader.ValueTextEquals("usage"u8);
                            reader.Read();
                            if (isUsage && !usage.Reported)
                            {
                                usage = ReadUsage(ref reader);
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        reader.Read();
                        choicesEmpty = reader.TokenType == JsonTokenType.EndArray;
                        if (!choicesEmpty)
                        {
                            SkipToEndOfArray(ref reader);
                        }
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
        catch (JsonException)
        {
            return TokenUsage.None;
        }

        return usage;
    }

    private static void SkipToEndOfArray(ref Utf8JsonReader reader)
    {
        // Positioned on the first element's first token.
        var depth = reader.CurrentDepth - 1;
        reader.Skip();
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
        {
            reader.Skip();
        }
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return TokenUsage.None;
        }

        long prompt = 0, completion = 0, total = 0, cached = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                total = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = ReadDetail(ref reader, "cached_tokens"u8, cached);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoning = ReadDetail(ref reader, "reasoning_tokens"u8, reasoning);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new TokenUsage(prompt, completion, total > 0 ? total : prompt + completion, cached, true) { ReasoningTokens = reasoning };
    }

    private static long ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, long current)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return current;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                current = ReadLong(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return current;
    }

    private static long ReadLong(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : 0;
    }
}

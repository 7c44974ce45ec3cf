using System.Text;
using System.Text.Json;

namespace AiGateway.MockProvider.Chat;

/// <summary>Text helpers for chat content: extraction, truncation and splitting into stream pieces.</summary>
internal static class ChatText
{
    /// <summary>
    /// The text of a message <c>content</c>: the string itself, or the <c>text</c> of every
    /// <c>{"type":"text"}</c> part joined with <c>\n</c>; empty for null and other shapes.
    /// </summary>
    public static string Extract(JsonElement? content)
    {
        if (content is not { } element)
        {
            return string.Empty;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() ?? string.Empty;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        StringBuilder? builder = null;
        foreach (var part in element.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object
                && part.TryGetProperty("type"u8, out var type)
                && type.ValueKind == JsonValueKind.String
                && type.ValueEquals("text"u8)
                && part.TryGetProperty("text"u8, out var text)
                && text.ValueKind == JsonValueKind.String)
            {
                builder = builder is null ? new StringBuilder() : builder.Append('\n');
                builder.Append(text.GetString());
            }
        }

        return builder?.ToString() ?? string.Empty;
    }

    /// <summary>At most <paramref name="maxChars"/> UTF-16 chars, never splitting a surrogate pair.</summary>
    public static string Truncate(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxChars)
        {
            return text;
        }

        var length = maxChars;
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }

    /// <summary>
    /// Word-sized pieces whose concatenation is <paramref name="text"/>: each piece is a run of
    /// whitespace followed by a run of non-whitespace ("Mock", " reply", " to:").
    /// </summary>
    public static IReadOnlyList<string> SplitWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = new List<string>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            pieces.Add(text[start..i]);
            start = i;
        }

        return pieces;
    }

    /// <summary>Pieces of at most <paramref name="size"/> chars (a surrogate pair is never split).</summary>
    public static IReadOnlyList<string> SplitFixed(string text, int size)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        var pieces = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(size, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }

            pieces.Add(text.Substring(start, length));
            start += length;
        }

        return pieces;
    }
}

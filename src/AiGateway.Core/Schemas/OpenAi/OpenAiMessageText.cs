using System.Text.Json;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>Reading the text of an OpenAI chat message, shared by every request writer that needs it.</summary>
internal static class OpenAiMessageText
{
    /// <summary>A message's text: a string content, or its text parts joined by newlines; null if it has other parts.</summary>
    public static string? TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var texts = new List<string>();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.GetString() != "text")
            {
                return null;
            }

            texts.Add(part.TryGetProperty("text", out var text) ? text.GetString() ?? string.Empty : string.Empty);
        }

        return string.Join('\n', texts);
    }

    /// <summary>Whether a tool result's text is a JSON object with an <c>error</c> property.</summary>
    public static bool IsErrorObject(string text)
    {
        if (!text.TrimStart().StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var parsed = JsonDocument.Parse(text);
            return parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.TryGetProperty("error", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

using System.Text.Json;

namespace AiGateway.MockProvider.Chat;

/// <summary>One chat message; <c>content</c> is a string, an array of parts, or null.</summary>
internal sealed class ChatMessage
{
    public string? Role { get; init; }

    public JsonElement? Content { get; init; }
}

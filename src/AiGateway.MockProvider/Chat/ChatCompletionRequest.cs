using System.Text.Json;

namespace AiGateway.MockProvider.Chat;

/// <summary>The fields of an OpenAI chat request the mock looks at; others are ignored.</summary>
internal sealed class ChatCompletionRequest
{
    public string? Model { get; init; }

    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    public JsonElement? Tools { get; init; }

    public JsonElement? ToolChoice { get; init; }

    public bool? Stream { get; init; }

    public ChatStreamOptions? StreamOptions { get; init; }

    public int? MaxTokens { get; init; }

    public int? MaxCompletionTokens { get; init; }
}

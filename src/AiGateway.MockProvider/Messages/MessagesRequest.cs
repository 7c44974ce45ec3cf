using System.Text.Json;

namespace AiGateway.MockProvider.Messages;

/// <summary>The fields of an Anthropic Messages request the mock looks at; others are ignored.</summary>
internal sealed class MessagesRequest
{
    public string? Model { get; init; }

    public int? MaxTokens { get; init; }

    public IReadOnlyList<AnthropicMessage?>? Messages { get; init; }

    /// <summary>A string or an array of <c>{"type":"text","text"}</c> blocks.</summary>
    public JsonElement? System { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public IReadOnlyList<string>? StopSequences { get; init; }

    public JsonElement? Tools { get; init; }

    public JsonElement? ToolChoice { get; init; }

    public bool? Stream { get; init; }
}

/// <summary>One turn; <c>content</c> is a string or an array of content blocks.</summary>
internal sealed class AnthropicMessage
{
    public string? Role { get; init; }

    public JsonElement? Content { get; init; }
}

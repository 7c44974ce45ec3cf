using System.Text.Json;
using System.Text.Json.Serialization;
using AiGateway.MockProvider.Chat;

namespace AiGateway.MockProvider.Watsonx;

/// <summary>The fields of a watsonx.ai chat request the mock looks at (provider-apis.md §6.3).</summary>
internal sealed class WatsonxChatRequest
{
    public string? ModelId { get; init; }

    public string? ProjectId { get; init; }

    public string? SpaceId { get; init; }

    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    public JsonElement? Tools { get; init; }

    public JsonElement? ToolChoice { get; init; }

    public string? ToolChoiceOption { get; init; }

    public int? MaxTokens { get; init; }

    public int? MaxCompletionTokens { get; init; }

    /// <summary>Every other property, checked against the fields watsonx does not accept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.MockProvider.Watsonx;

/// <summary>A watsonx.ai embeddings request: <c>{"inputs":[...],"model_id","project_id"|"space_id","parameters"}</c>.</summary>
internal sealed class WatsonxEmbeddingRequest
{
    public IReadOnlyList<string>? Inputs { get; init; }

    public string? ModelId { get; init; }

    public string? ProjectId { get; init; }

    public string? SpaceId { get; init; }

    public JsonElement? Parameters { get; init; }

    /// <summary>Every other property, checked against the fields watsonx does not accept.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

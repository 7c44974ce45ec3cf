using System.Text.Json;

namespace AiGateway.MockProvider.Embeddings;

/// <summary>An OpenAI embeddings request; <c>input</c> is a string, string[], int[] or int[][].</summary>
internal sealed class EmbeddingRequest
{
    public string? Model { get; init; }

    public JsonElement? Input { get; init; }

    public string? EncodingFormat { get; init; }

    public int? Dimensions { get; init; }
}

using System.Text.Json;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Embeddings;
using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Tests.TestSupport;

/// <summary>Parses request bodies the way the server does, for unit tests.</summary>
internal static class RequestJson
{
    public static ChatCompletionRequest Chat(string json) =>
        JsonSerializer.Deserialize(json, MockJsonContext.Default.ChatCompletionRequest)!;

    public static EmbeddingRequest Embedding(string json) =>
        JsonSerializer.Deserialize(json, MockJsonContext.Default.EmbeddingRequest)!;

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

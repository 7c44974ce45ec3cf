using System.Text.Json.Serialization;

namespace AiGateway.MockProvider.Watsonx;

/// <summary>Source-generated reading of watsonx.ai request bodies; responses use Utf8JsonWriter.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WatsonxChatRequest))]
[JsonSerializable(typeof(WatsonxEmbeddingRequest))]
internal sealed partial class WatsonxJsonContext : JsonSerializerContext;

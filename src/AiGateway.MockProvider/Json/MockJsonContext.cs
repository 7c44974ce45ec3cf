using System.Text.Json.Serialization;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Configuration;
using AiGateway.MockProvider.Embeddings;
using AiGateway.MockProvider.Messages;

namespace AiGateway.MockProvider.Json;

/// <summary>Source-generated (de)serialization of request bodies and config; responses use Utf8JsonWriter.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(EmbeddingRequest))]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MockConfigFile))]
[JsonSerializable(typeof(MockFaultConfig))]
internal sealed partial class MockJsonContext : JsonSerializerContext;

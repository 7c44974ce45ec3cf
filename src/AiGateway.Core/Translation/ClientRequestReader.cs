using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Schemas.OpenAi;

namespace AiGateway.Core.Translation;

/// <summary>Reads a client request in the format of its endpoint: OpenAI's, or Anthropic's for Messages.</summary>
public static class ClientRequestReader
{
    /// <summary>Parses <paramref name="body"/>; returns null and sets <paramref name="error"/> when the client is at fault.</summary>
    public static ParsedRequest? Read(EndpointKind endpoint, ReadOnlyMemory<byte> body, out ClientError? error) =>
        endpoint == EndpointKind.Messages
            ? AnthropicRequestReader.Read(body, out error)
            : OpenAiRequestReader.Read(endpoint, body, out error);
}

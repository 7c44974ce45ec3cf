namespace AiGateway.Core.Translation;

/// <summary>The client-facing API operation of a request.</summary>
public enum EndpointKind
{
    /// <summary>POST /v1/chat/completions.</summary>
    ChatCompletions,

    /// <summary>POST /v1/embeddings.</summary>
    Embeddings,

    /// <summary>
    /// POST /v1/messages (and /anthropic/v1/messages): Anthropic's Messages API. The client speaks
    /// Anthropic's format, requests and errors alike.
    /// </summary>
    Messages,
}

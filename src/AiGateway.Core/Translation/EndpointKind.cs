namespace AiGateway.Core.Translation;

/// <summary>The client-facing API operation of a request.</summary>
public enum EndpointKind
{
    /// <summary>POST /v1/chat/completions.</summary>
    ChatCompletions,

    /// <summary>POST /v1/embeddings.</summary>
    Embeddings,
}

namespace AiGateway.ExtProc.Endpoints;

/// <summary>What a request path asks for.</summary>
internal enum EndpointRoute
{
    /// <summary>A path the gateway does not serve.</summary>
    Unknown,

    /// <summary>POST /v1/chat/completions.</summary>
    ChatCompletions,

    /// <summary>POST /v1/embeddings.</summary>
    Embeddings,

    /// <summary>POST /v1/messages or /anthropic/v1/messages (Anthropic's Messages API).</summary>
    Messages,

    /// <summary>GET /v1/models, answered from configuration.</summary>
    ModelsList,

    /// <summary>GET /v1/models/{id}, answered from configuration.</summary>
    ModelGet,
}

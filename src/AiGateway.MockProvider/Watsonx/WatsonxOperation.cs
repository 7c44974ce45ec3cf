namespace AiGateway.MockProvider.Watsonx;

/// <summary>The watsonx.ai operation a path maps to.</summary>
internal enum WatsonxOperation
{
    /// <summary>Not a watsonx.ai path.</summary>
    None,

    /// <summary>Under <c>/ml/v1/</c> but not an operation the mock serves.</summary>
    Unknown,

    /// <summary><c>POST {prefix}/ml/v1/text/chat</c>.</summary>
    Chat,

    /// <summary><c>POST {prefix}/ml/v1/text/chat_stream</c>.</summary>
    ChatStream,

    /// <summary><c>POST {prefix}/ml/v1/text/embeddings</c>.</summary>
    Embeddings,
}

namespace AiGateway.MockProvider.Embeddings;

/// <summary>Bounds the mock enforces on embeddings requests.</summary>
internal static class EmbeddingLimits
{
    /// <summary>Largest <c>dimensions</c> accepted (text-embedding-3-large has 3072).</summary>
    public const int MaxDimensions = 4096;

    /// <summary>Largest number of inputs in one request, as OpenAI.</summary>
    public const int MaxInputs = 2048;
}

namespace AiGateway.MockProvider.Embeddings;

/// <summary>One input to embed: the bytes its vector is derived from, and its token count.</summary>
internal sealed record EmbeddingInput(ReadOnlyMemory<byte> Key, int Tokens);

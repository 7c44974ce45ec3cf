namespace AiGateway.MockProvider.Hosting;

/// <summary>The OpenAI (or Anthropic Messages) operation a request path maps to.</summary>
internal enum MockRouteKind
{
    NotFound,
    ChatCompletions,
    Embeddings,
    ListModels,
    GetModel,
    Messages,
}

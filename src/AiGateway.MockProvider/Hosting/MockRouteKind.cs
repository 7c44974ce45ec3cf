namespace AiGateway.MockProvider.Hosting;

/// <summary>The OpenAI operation a request path maps to.</summary>
internal enum MockRouteKind
{
    NotFound,
    ChatCompletions,
    Embeddings,
    ListModels,
    GetModel,
}

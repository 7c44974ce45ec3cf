namespace AiGateway.MockProvider.Watsonx;

/// <summary>What every chunk of one watsonx answer shares: id, model and creation time.</summary>
internal sealed record WatsonxIdentity(string Id, string ModelId, DateTimeOffset Created);

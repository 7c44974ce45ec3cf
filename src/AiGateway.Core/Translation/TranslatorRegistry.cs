using System.Collections.Frozen;
using AiGateway.Core.Configuration;

namespace AiGateway.Core.Translation;

/// <summary>The translators this build has, by client endpoint and provider schema.</summary>
public sealed class TranslatorRegistry
{
    private readonly FrozenDictionary<(EndpointKind Endpoint, ApiSchema Schema), ITranslator> _translators;

    /// <summary>Creates the registry with every translator of this build.</summary>
    public TranslatorRegistry()
        : this(BuiltIn(TimeProvider.System))
    {
    }

    /// <summary>
    /// Creates a registry with the given translators (tests use this to add failing ones). Every schema with
    /// a chat completions translator also serves Anthropic Messages clients: unless a Messages translator is
    /// given for it, an <see cref="AnthropicToOpenAiTranslator"/> over its chat translator is added.
    /// </summary>
    public TranslatorRegistry(IDictionary<(EndpointKind Endpoint, ApiSchema Schema), ITranslator> translators)
    {
        ArgumentNullException.ThrowIfNull(translators);
        var all = new Dictionary<(EndpointKind Endpoint, ApiSchema Schema), ITranslator>(translators);
        foreach (var ((endpoint, schema), translator) in translators)
        {
            if (endpoint == EndpointKind.ChatCompletions)
            {
                all.TryAdd((EndpointKind.Messages, schema), new AnthropicToOpenAiTranslator(translator));
            }
        }

        _translators = all.ToFrozenDictionary();
    }

    /// <summary>The translators this build ships.</summary>
    public static Dictionary<(EndpointKind Endpoint, ApiSchema Schema), ITranslator> BuiltIn(TimeProvider timeProvider)
    {
        var chat = new OpenAiToOpenAiTranslator(EndpointKind.ChatCompletions);
        var embeddings = new OpenAiToOpenAiTranslator(EndpointKind.Embeddings);
        return new Dictionary<(EndpointKind, ApiSchema), ITranslator>
        {
            [(EndpointKind.ChatCompletions, ApiSchema.Anthropic)] = new OpenAiToAnthropicTranslator(timeProvider),
            [(EndpointKind.ChatCompletions, ApiSchema.AwsBedrock)] = new OpenAiToBedrockTranslator(timeProvider),
            [(EndpointKind.Embeddings, ApiSchema.AwsBedrock)] = new OpenAiToBedrockEmbeddingsTranslator(),
            [(EndpointKind.Messages, ApiSchema.Anthropic)] = new AnthropicPassThroughTranslator(),
            [(EndpointKind.ChatCompletions, ApiSchema.AzureOpenAi)] = new OpenAiToAzureOpenAiTranslator(EndpointKind.ChatCompletions),
            [(EndpointKind.Embeddings, ApiSchema.AzureOpenAi)] = new OpenAiToAzureOpenAiTranslator(EndpointKind.Embeddings),
            [(EndpointKind.ChatCompletions, ApiSchema.Gemini)] = new OpenAiToGeminiTranslator(timeProvider, GeminiFlavour.AiStudio),
            [(EndpointKind.ChatCompletions, ApiSchema.VertexAi)] = new OpenAiToGeminiTranslator(timeProvider, GeminiFlavour.VertexAi),
            [(EndpointKind.Embeddings, ApiSchema.Gemini)] = new OpenAiToGeminiEmbeddingsTranslator(GeminiFlavour.AiStudio),
            [(EndpointKind.Embeddings, ApiSchema.VertexAi)] = new OpenAiToGeminiEmbeddingsTranslator(GeminiFlavour.VertexAi),
            [(EndpointKind.ChatCompletions, ApiSchema.OpenAi)] = chat,
            [(EndpointKind.ChatCompletions, ApiSchema.OpenAiCompatible)] = new OpenAiToOpenAiTranslator(EndpointKind.ChatCompletions, compatible: true),
            [(EndpointKind.Embeddings, ApiSchema.OpenAi)] = embeddings,
            [(EndpointKind.Embeddings, ApiSchema.OpenAiCompatible)] = embeddings,
            [(EndpointKind.ChatCompletions, ApiSchema.Watsonx)] = new OpenAiToWatsonxTranslator(EndpointKind.ChatCompletions, timeProvider),
            [(EndpointKind.Embeddings, ApiSchema.Watsonx)] = new OpenAiToWatsonxTranslator(EndpointKind.Embeddings, timeProvider),
        };
    }

    /// <summary>True when some endpoint can be translated to <paramref name="schema"/>.</summary>
    public bool Supports(ApiSchema schema) => _translators.Keys.Any(k => k.Schema == schema);

    /// <summary>Finds the translator for an endpoint and provider schema.</summary>
    public bool TryGet(EndpointKind endpoint, ApiSchema schema, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ITranslator? translator) =>
        _translators.TryGetValue((endpoint, schema), out translator);
}

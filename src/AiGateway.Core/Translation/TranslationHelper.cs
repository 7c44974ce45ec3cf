using AiGateway.Core.Configuration;

namespace AiGateway.Core.Translation;

/// <summary>Pieces every translator's upstream request shares.</summary>
internal static class TranslationHelper
{
    /// <summary>The OpenAI-style operation path suffix of an endpoint.</summary>
    public static string OperationSuffix(EndpointKind endpoint) => endpoint switch
    {
        EndpointKind.ChatCompletions => "/chat/completions",
        EndpointKind.Embeddings => "/embeddings",
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null),
    };

    /// <summary>The Messages path of an Anthropic provider: <c>/v1/messages</c> under its base path (which may end in <c>/v1</c>).</summary>
    public static string AnthropicMessagesPath(ProviderDefinition provider) =>
        provider.BasePath.EndsWith("/v1", StringComparison.Ordinal) ? provider.BasePath + "/messages" : provider.BasePath + "/v1/messages";

    /// <summary>
    /// Headers of a JSON request whose response the gateway must read: identity encoding, because the
    /// router-level filter parses the provider's answer. Auth headers are added by the caller.
    /// </summary>
    public static List<KeyValuePair<string, string>> JsonRequestHeaders() =>
    [
        new("content-type", "application/json"),
        new("accept-encoding", "identity"),
    ];
}

using System.Buffers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Watsonx;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>
/// OpenAI chat completions and embeddings to IBM watsonx.ai (provider-apis.md §6): <c>POST
/// {base}/ml/v1/text/chat</c> (or <c>/text/chat_stream</c>, or <c>/text/embeddings</c>) with the
/// <c>version</c> date in the query, and the answers back. The IAM bearer token is added by the credentials
/// step; only with <c>auth: api-key</c> does the translator send the key itself as a bearer token.
/// </summary>
public sealed class OpenAiToWatsonxTranslator(EndpointKind endpoint, TimeProvider timeProvider) : ITranslator
{
    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        var error = endpoint == EndpointKind.Embeddings
            ? WatsonxEmbeddingsRequestWriter.Write(request.Body, request.Model, provider, body)
            : WatsonxChatRequestWriter.Write(request.Body, request.Model, provider, body);
        if (error is not null)
        {
            return UpstreamRequest.Failed(error);
        }

        var operation = endpoint switch
        {
            EndpointKind.Embeddings => "/text/embeddings",
            _ when request.Stream => "/text/chat_stream",
            _ => "/text/chat",
        };
        var root = provider.BasePath.EndsWith("/ml/v1", StringComparison.Ordinal) ? provider.BasePath : provider.BasePath + "/ml/v1";
        var version = Uri.EscapeDataString(provider.ApiVersion ?? GatewayConfigValidator.DefaultWatsonxVersion);
        var headers = TranslationHelper.JsonRequestHeaders();
        headers.Add(new("accept", request.Stream && endpoint == EndpointKind.ChatCompletions ? "text/event-stream" : "application/json"));
        if (provider.Auth.Kind == ProviderAuthKind.ApiKey)
        {
            BearerApiKeyAuth.Apply(provider, headers);
        }

        return new UpstreamRequest($"{root}{operation}?version={version}", headers);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return endpoint == EndpointKind.Embeddings
            ? new WatsonxEmbeddingsResponseTranslator(request.Model, WatsonxEmbeddingsRequestWriter.WantsBase64(request.Body.Span))
            : new WatsonxResponseTranslator(request.Model, request.Stream, request.ClientWantsUsage, timeProvider.GetUtcNow().ToUnixTimeSeconds());
    }
}

using System.Buffers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>
/// OpenAI clients to OpenAI and OpenAI-compatible providers, chat completions and embeddings: the body
/// passes through with <c>prefer_provider</c> removed, the provider's model name, and usage requested
/// for streams.
/// </summary>
public sealed class OpenAiToOpenAiTranslator(EndpointKind endpoint) : ITranslator
{
    private readonly string _pathSuffix = TranslationHelper.OperationSuffix(endpoint);

    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        OpenAiRequestWriter.Write(request.Body.Span, request.Model, request.Stream, body);
        var headers = TranslationHelper.JsonRequestHeaders();
        BearerApiKeyAuth.Apply(provider, headers);
        return new UpstreamRequest(provider.BasePath + _pathSuffix, headers);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OpenAiResponseTranslator(request.Stream, request.ClientWantsUsage);
    }
}

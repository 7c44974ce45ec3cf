using System.Buffers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>
/// OpenAI clients to OpenAI and OpenAI-compatible providers, chat completions and embeddings: the body
/// passes through with <c>prefer_provider</c> removed, the provider's model name, and usage requested
/// for streams; Mistral and Groq get their dialect's rewrites (<see cref="OpenAiDialectRewriter"/>).
/// </summary>
/// <param name="endpoint">The operation.</param>
/// <param name="compatible">True for OpenAI-compatible servers: responses get non-standard finish reasons normalised.</param>
public sealed class OpenAiToOpenAiTranslator(EndpointKind endpoint, bool compatible = false) : ITranslator
{
    private readonly string _pathSuffix = TranslationHelper.OperationSuffix(endpoint);

    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        if (endpoint == EndpointKind.ChatCompletions && OpenAiDialectRewriter.Applies(provider.Dialect))
        {
            var plain = new ArrayBufferWriter<byte>(request.Body.Length + 64);
            OpenAiRequestWriter.Write(request.Body.Span, request.Model, request.Stream, plain);
            if (OpenAiDialectRewriter.Rewrite(provider.Dialect, plain.WrittenSpan, body) is { } error)
            {
                return UpstreamRequest.Failed(error);
            }
        }
        else
        {
            OpenAiRequestWriter.Write(request.Body.Span, request.Model, request.Stream, body);
        }

        var headers = TranslationHelper.JsonRequestHeaders();
        BearerApiKeyAuth.Apply(provider, headers);
        return new UpstreamRequest(provider.BasePath + _pathSuffix, headers);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OpenAiResponseTranslator(request.Stream, request.ClientWantsUsage, normalizeFinishReasons: compatible);
    }
}

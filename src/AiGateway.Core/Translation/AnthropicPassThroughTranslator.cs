using System.Buffers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>
/// Anthropic Messages clients to Anthropic providers: the body passes through (the gateway-only
/// <c>prefer_provider</c> removed, <c>model</c> rewritten to the same name, every other property copied
/// byte for byte), the provider's key and API version are set, and the client's <c>anthropic-beta</c>
/// header is forwarded. The response passes through too; only its usage is read.
/// </summary>
public sealed class AnthropicPassThroughTranslator : ITranslator
{
    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);

        // A property-level copy: the same rewrite as for OpenAI bodies, without the stream usage option.
        OpenAiRequestWriter.Write(request.Body.Span, request.Model, requestUsage: false, body);
        var headers = TranslationHelper.JsonRequestHeaders();
        AnthropicApiKeyAuth.Apply(provider, headers);
        if (!string.IsNullOrEmpty(request.AnthropicBeta))
        {
            headers.Add(new("anthropic-beta", request.AnthropicBeta));
        }

        return new UpstreamRequest(TranslationHelper.AnthropicMessagesPath(provider), headers);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AnthropicPassThroughResponseTranslator(request.Stream);
    }
}

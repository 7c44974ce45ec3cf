using System.Buffers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>OpenAI chat completions to Anthropic Messages (first-party API), and the responses back.</summary>
public sealed class OpenAiToAnthropicTranslator(TimeProvider timeProvider) : ITranslator
{
    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        if (AnthropicRequestWriter.Write(request.Body, request.Model, body) is { } error)
        {
            return UpstreamRequest.Failed(error);
        }

        var headers = TranslationHelper.JsonRequestHeaders();
        AnthropicApiKeyAuth.Apply(provider, headers);
        return new UpstreamRequest(TranslationHelper.AnthropicMessagesPath(provider), headers);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AnthropicResponseTranslator(
            request.Model,
            request.Stream,
            request.ClientWantsUsage,
            timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            AnthropicRequestWriter.AsksForJson(request.Body.Span) ? AnthropicRequestWriter.JsonResponseTool : null);
    }
}

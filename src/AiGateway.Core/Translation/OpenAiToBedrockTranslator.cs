using System.Buffers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Bedrock;
using AiGateway.Core.Schemas.OpenAi;

namespace AiGateway.Core.Translation;

/// <summary>
/// OpenAI chat completions to AWS Bedrock Converse (<c>/model/{modelId}/converse</c>) and ConverseStream
/// (<c>/converse-stream</c>), and the responses back. With the default auth the provider's
/// <c>api_key</c> is a Bedrock API key, sent as a bearer token; with <c>aws-sigv4</c> the credentials
/// step signs the translated request afterwards.
/// </summary>
public sealed class OpenAiToBedrockTranslator(TimeProvider timeProvider) : ITranslator
{
    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        if (ConverseRequestWriter.Write(request.Body, body) is { } error)
        {
            return UpstreamRequest.Failed(error);
        }

        return new UpstreamRequest(BedrockPaths.Model(provider, request.Model, request.Stream ? "converse-stream" : "converse"), BedrockPaths.Headers(provider));
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new BedrockResponseTranslator(
            request.Model,
            request.Stream,
            request.ClientWantsUsage,
            timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            OpenAiResponseFormat.AsksForJson(request.Body.Span) ? ConverseRequestWriter.JsonResponseTool : null);
    }
}

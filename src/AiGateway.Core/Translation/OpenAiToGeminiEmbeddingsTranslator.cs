using System.Buffers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Gemini;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>
/// OpenAI embeddings to Gemini: AI Studio <c>models/{model}:batchEmbedContents</c> with
/// <c>x-goog-api-key</c>, or Vertex AI <c>publishers/google/models/{model}:predict</c> (bearer token added by
/// the credentials step); the answers back as an OpenAI embedding list, float or base64.
/// </summary>
public sealed class OpenAiToGeminiEmbeddingsTranslator(GeminiFlavour flavour) : ITranslator
{
    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        var path = GeminiPaths.ModelMethod(provider, flavour, request.Model, flavour == GeminiFlavour.AiStudio ? "batchEmbedContents" : "predict");
        if (path is null)
        {
            return UpstreamRequest.Failed(GeminiPaths.MissingVertexSettings(provider));
        }

        if (GeminiEmbeddingsWriter.Write(request.Body, request.Model, flavour, body) is { } error)
        {
            return UpstreamRequest.Failed(error);
        }

        var headers = TranslationHelper.JsonRequestHeaders();
        if (flavour == GeminiFlavour.AiStudio)
        {
            GeminiApiKeyAuth.Apply(provider, headers);
        }

        return new UpstreamRequest(path, headers);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GeminiEmbeddingsResponseTranslator(request.Model, GeminiEmbeddingsWriter.WantsBase64(request.Body.Span));
    }
}

using System.Buffers;
using System.Security.Cryptography;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Gemini;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>
/// OpenAI chat completions to Gemini <c>generateContent</c> / <c>streamGenerateContent?alt=sse</c>, and the
/// responses back. One translator for both flavours: AI Studio and Vertex AI share the body and differ in
/// path and auth. AI Studio gets the provider's key as <c>x-goog-api-key</c>; Vertex AI gets no credential
/// here (the credentials step adds its OAuth bearer token after translation).
/// </summary>
public sealed class OpenAiToGeminiTranslator : ITranslator
{
    private readonly TimeProvider _timeProvider;
    private readonly GeminiFlavour _flavour;
    private readonly Func<string> _newIdSeed;

    /// <summary>Creates the translator for one flavour.</summary>
    public OpenAiToGeminiTranslator(TimeProvider timeProvider, GeminiFlavour flavour)
        : this(timeProvider, flavour, static () => RandomNumberGenerator.GetHexString(16, lowercase: true))
    {
    }

    /// <summary>Creates the translator with a source of id seeds (tests use a fixed one).</summary>
    internal OpenAiToGeminiTranslator(TimeProvider timeProvider, GeminiFlavour flavour, Func<string> newIdSeed)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _flavour = flavour;
        _newIdSeed = newIdSeed ?? throw new ArgumentNullException(nameof(newIdSeed));
    }

    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        var path = GeminiPaths.ModelMethod(provider, _flavour, request.Model, request.Stream ? "streamGenerateContent?alt=sse" : "generateContent");
        if (path is null)
        {
            return UpstreamRequest.Failed(GeminiPaths.MissingVertexSettings(provider));
        }

        if (GeminiRequestWriter.Write(request.Body, request.Model, body) is { } error)
        {
            return UpstreamRequest.Failed(error);
        }

        var headers = TranslationHelper.JsonRequestHeaders();
        if (_flavour == GeminiFlavour.AiStudio)
        {
            GeminiApiKeyAuth.Apply(provider, headers);
        }

        return new UpstreamRequest(path, headers);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GeminiResponseTranslator(request.Model, request.Stream, request.ClientWantsUsage, _timeProvider.GetUtcNow().ToUnixTimeSeconds(), _newIdSeed());
    }
}

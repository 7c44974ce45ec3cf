using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Bedrock;

namespace AiGateway.Core.Translation;

/// <summary>OpenAI embeddings to AWS Bedrock InvokeModel (<c>/model/{modelId}/invoke</c>, Titan or Cohere), and back.</summary>
public sealed class OpenAiToBedrockEmbeddingsTranslator : ITranslator
{
    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        if (InvokeEmbeddingsRequestWriter.Write(request.Body, request.Model, body) is { } error)
        {
            return UpstreamRequest.Failed(error);
        }

        return new UpstreamRequest(BedrockPaths.Model(provider, request.Model, "invoke"), BedrockPaths.Headers(provider));
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new BedrockEmbeddingsResponseTranslator(request.Model, WantsBase64(request.Body.Span));
    }

    private static bool WantsBase64(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFormat = reader.ValueTextEquals("encoding_format"u8);
                reader.Read();
                if (isFormat)
                {
                    return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("base64"u8);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}

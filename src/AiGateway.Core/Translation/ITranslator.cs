using System.Buffers;
using AiGateway.Core.Configuration;

namespace AiGateway.Core.Translation;

/// <summary>Translates between the client's schema and one provider schema for one endpoint.</summary>
public interface ITranslator
{
    /// <summary>Builds an attempt's request for <paramref name="provider"/> from the original body.</summary>
    /// <param name="request">The parsed client request; its body is never modified.</param>
    /// <param name="provider">The provider of this attempt.</param>
    /// <param name="body">Receives the provider-bound body.</param>
    UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body);

    /// <summary>Starts translating the response to <paramref name="request"/>.</summary>
    IResponseTranslator CreateResponseTranslator(ParsedRequest request);
}

using System.Buffers;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Upstreams.Auth;

namespace AiGateway.Core.Translation;

/// <summary>
/// OpenAI clients to Azure OpenAI, chat completions and embeddings. Two URL styles, chosen by the
/// configured endpoint: <c>https://res.openai.azure.com/openai/v1</c> uses the v1 API (deployment name
/// in the body's <c>model</c>); any other endpoint uses deployment URLs
/// (<c>/openai/deployments/{deployment}/...?api-version=</c>). The body is otherwise OpenAI's.
/// </summary>
public sealed class OpenAiToAzureOpenAiTranslator(EndpointKind endpoint) : ITranslator
{
    private readonly string _operation = TranslationHelper.OperationSuffix(endpoint);

    /// <inheritdoc />
    public UpstreamRequest TranslateRequest(ParsedRequest request, ProviderDefinition provider, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        var deployment = provider.DeploymentFor(request.Model);
        string path;
        if (provider.BasePath.EndsWith("/openai/v1", StringComparison.Ordinal))
        {
            path = provider.BasePath + _operation;
            OpenAiRequestWriter.Write(request.Body.Span, deployment, request.Stream, body);
        }
        else
        {
            var root = provider.BasePath.EndsWith("/openai", StringComparison.Ordinal) ? provider.BasePath : provider.BasePath + "/openai";
            path = $"{root}/deployments/{Uri.EscapeDataString(deployment)}{_operation}?api-version={Uri.EscapeDataString(provider.ApiVersion ?? GatewayConfigValidator.DefaultAzureApiVersion)}";
            OpenAiRequestWriter.Write(request.Body.Span, request.Model, request.Stream, body);
        }

        var headers = TranslationHelper.JsonRequestHeaders();
        AzureApiKeyAuth.Apply(provider, headers);
        return new UpstreamRequest(path, headers);
    }

    /// <inheritdoc />
    public IResponseTranslator CreateResponseTranslator(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Azure answers in OpenAI's format; its stream may open with a prompt_filter_results event
        // whose choices are empty and which has no usage: that one is kept.
        return new OpenAiResponseTranslator(request.Stream, request.ClientWantsUsage);
    }
}

using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Embeddings;

/// <summary>Answers <c>POST {prefix}/embeddings</c> with deterministic vectors.</summary>
internal static class EmbeddingsHandler
{
    public static async Task HandleAsync(
        HttpContext context,
        MockProviderState state,
        EmbeddingRequest request,
        FaultPlan plan,
        ILogger logger,
        CancellationToken ct)
    {
        if (Validate(request, state.Options, out var inputs) is { } error)
        {
            await JsonResponder.WriteErrorAsync(context, error, ct);
            return;
        }

        var dimensions = request.Dimensions ?? state.Options.EmbeddingDimensions;
        var vectors = new float[inputs.Count][];
        var tokens = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            vectors[i] = EmbeddingVectorGenerator.Generate(inputs[i].Key.Span, dimensions);
            tokens += inputs[i].Tokens;
        }

        var base64 = request.EncodingFormat == "base64";
        var body = EmbeddingsJson.Response(request.Model!, vectors, base64, tokens);
        await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, body, plan, logger, ct);
    }

    private static OpenAiError? Validate(EmbeddingRequest request, MockProviderOptions options, out IReadOnlyList<EmbeddingInput> inputs)
    {
        inputs = [];
        if (string.IsNullOrEmpty(request.Model))
        {
            return OpenAiError.MissingModel();
        }

        if (request.EncodingFormat is not (null or "float" or "base64"))
        {
            return OpenAiError.InvalidValue("encoding_format", $"'{request.EncodingFormat}'. Supported values are: 'float' and 'base64'.");
        }

        if (request.Dimensions is < 1 or > EmbeddingLimits.MaxDimensions)
        {
            return OpenAiError.InvalidValue("dimensions", $"expected 1..{EmbeddingLimits.MaxDimensions}, got {request.Dimensions}.");
        }

        if (!EmbeddingInputParser.TryParse(request.Input, out inputs, out var inputError))
        {
            return inputError;
        }

        if (options.RejectUnknownModels && !options.Models.Contains(request.Model, StringComparer.Ordinal))
        {
            return OpenAiError.ModelNotFound(request.Model);
        }

        return null;
    }
}

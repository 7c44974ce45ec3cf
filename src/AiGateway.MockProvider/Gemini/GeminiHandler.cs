using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Embeddings;
using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Gemini;

/// <summary>
/// Answers Gemini API (AI Studio) and Vertex AI model methods in Google's dialect: key or bearer check,
/// faults, validation, then <c>generateContent</c>, <c>streamGenerateContent</c> (SSE with <c>alt=sse</c>, else
/// one JSON array written piece by piece), <c>batchEmbedContents</c> / <c>embedContent</c> (AI Studio) and
/// <c>predict</c> (Vertex AI). Errors are <c>google.rpc.Status</c> JSON; Vertex AI array streams wrap them in an array.
/// </summary>
internal static class GeminiHandler
{
    public const string ApiKeyHeader = "x-goog-api-key";

    public static async Task HandleAsync(
        HttpContext context,
        MockProviderState state,
        GeminiRoute route,
        string path,
        ReadOnlyMemory<byte> body,
        long requestNumber,
        ILogger logger,
        CancellationToken ct)
    {
        var request = context.Request;
        var sse = string.Equals(request.Query["alt"].ToString(), "sse", StringComparison.Ordinal);
        var wrapErrors = route.Api == GeminiApi.Vertex && route.Method == "streamGenerateContent" && !sse;
        if (CheckCredentials(request, state, route.Api, path) is { } authError)
        {
            await WriteErrorAsync(context, authError, wrapErrors, ct);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await WriteErrorAsync(context, GeminiError.MethodNotAllowed(request.Method), wrapErrors, ct);
            return;
        }

        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
        }

        using (document)
        {
            var rule = state.Faults.TryConsume(path, route.Model);
            if (!FaultPlan.TryCreate(rule, request.Headers, out var plan, out var headerError))
            {
                await WriteErrorAsync(context, GeminiError.InvalidArgument(headerError!), wrapErrors, ct);
                return;
            }

            if (await ApplyPreResponseFaultsAsync(context, state, path, plan, wrapErrors, logger, ct))
            {
                return;
            }

            if (document is null)
            {
                await WriteErrorAsync(context, GeminiError.InvalidJson(), wrapErrors, ct);
                return;
            }

            var root = document.RootElement;
            switch (route.Method)
            {
                case "generateContent" or "streamGenerateContent":
                    await GenerateAsync(context, state, route, root, requestNumber, route.Method == "streamGenerateContent", sse, wrapErrors, plan, logger, ct);
                    break;
                case "batchEmbedContents" or "embedContent" when route.Api == GeminiApi.AiStudio:
                    await EmbedAsync(context, state, route, root, plan, logger, ct);
                    break;
                case "predict" when route.Api == GeminiApi.Vertex:
                    await PredictAsync(context, state, root, plan, logger, ct);
                    break;
                default:
                    await WriteErrorAsync(context, new GeminiError(404, "NOT_FOUND", $"Method {route.Method} is not served on this API."), false, ct);
                    break;
            }
        }
    }

    /// <summary>
    /// AI Studio: <c>x-goog-api-key</c> (or <c>?key=</c>); Vertex AI: <c>Authorization: Bearer</c>, which under a
    /// bearer-token prefix must be a token the mock's Google token endpoint issued and that has not expired.
    /// </summary>
    private static GeminiError? CheckCredentials(HttpRequest request, MockProviderState state, GeminiApi api, string path)
    {
        var keys = state.ApiKeys;
        if (api == GeminiApi.AiStudio)
        {
            var key = request.Headers[ApiKeyHeader].ToString();
            if (string.IsNullOrWhiteSpace(key))
            {
                key = request.Query["key"].ToString();
            }

            if (string.IsNullOrWhiteSpace(key))
            {
                return GeminiError.MissingApiKey();
            }

            return keys.Accepts(path, key.Trim()) ? null : GeminiError.InvalidApiKey();
        }

        const string scheme = "Bearer ";
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == scheme.Length)
        {
            return GeminiError.Unauthenticated();
        }

        if (state.BearerTokens.Requires(path))
        {
            return state.IssuedTokens.Check(authorization, Identity.IssuedTokens.Google) == Identity.BearerCheck.Accepted ? null : GeminiError.Unauthenticated();
        }

        return keys.Accepts(path, authorization[scheme.Length..].Trim()) ? null : GeminiError.Unauthenticated();
    }

    private static async Task GenerateAsync(
        HttpContext context,
        MockProviderState state,
        GeminiRoute route,
        JsonElement root,
        long requestNumber,
        bool stream,
        bool sse,
        bool wrapErrors,
        FaultPlan plan,
        ILogger logger,
        CancellationToken ct)
    {
        if (GeminiReplyPlanner.Validate(root, route.Model, state.Options) is { } error)
        {
            await WriteErrorAsync(context, error, wrapErrors, ct);
            return;
        }

        var reply = GeminiReplyPlanner.Plan(root, route.Model, state.Options.ResponseTemplate);
        var responseId = GeminiJson.ResponseId(requestNumber);
        if (!stream)
        {
            await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, GeminiJson.Response(responseId, route.Model, reply), plan, logger, ct);
            return;
        }

        var objects = GeminiJson.StreamObjects(responseId, route.Model, reply);
        var chunkDelay = plan.ChunkDelay ?? state.Options.ChunkDelay;
        var midStreamError = GeminiError.ForStatus(StatusCodes.Status503ServiceUnavailable, plan.ErrorMessage);
        if (sse)
        {
            await SseResponder.WriteAsync(context, [.. objects.Select(GeminiJson.SseEvent)], plan, chunkDelay, state.Time, logger, ct, message =>
                GeminiJson.SseEvent(GeminiJson.Error(GeminiError.ForStatus(StatusCodes.Status503ServiceUnavailable, message))));
            return;
        }

        await WriteArrayStreamAsync(context, objects, plan, chunkDelay, state.Time, GeminiJson.Error(midStreamError), logger, ct);
    }

    /// <summary>The stream without <c>alt=sse</c>: <c>[{...},\r\n{...}]</c>, each element flushed on its own.</summary>
    private static async Task WriteArrayStreamAsync(
        HttpContext context,
        IReadOnlyList<byte[]> objects,
        FaultPlan plan,
        TimeSpan chunkDelay,
        TimeProvider time,
        byte[] error,
        ILogger logger,
        CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await response.StartAsync(ct);
        for (var i = 0; i <= objects.Count; i++)
        {
            if (i > 0 && i < objects.Count && chunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(chunkDelay, time, ct);
            }

            if (plan.ResetAfterEvents == i)
            {
                await response.BodyWriter.FlushAsync(ct);
                Log.ConnectionAborted(logger, context.Request.Path.Value ?? "/", i);
                throw new MockConnectionResetException();
            }

            var separator = i == 0 ? "["u8.ToArray() : ",\r\n"u8.ToArray();
            if (plan.StreamErrorAfterEvents == i)
            {
                await response.BodyWriter.WriteAsync((byte[])[.. separator, .. error, .. "]"u8], ct);
                return;
            }

            if (i == objects.Count)
            {
                await response.BodyWriter.WriteAsync("]"u8.ToArray(), ct);
                return;
            }

            await response.BodyWriter.WriteAsync((byte[])[.. separator, .. objects[i]], ct);
        }
    }

    private static async Task EmbedAsync(HttpContext context, MockProviderState state, GeminiRoute route, JsonElement root, FaultPlan plan, ILogger logger, CancellationToken ct)
    {
        var single = route.Method == "embedContent";
        var requests = new List<JsonElement>();
        if (single)
        {
            requests.Add(root);
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("requests"u8, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
        {
            requests.AddRange(list.EnumerateArray());
        }
        else
        {
            await WriteErrorAsync(context, GeminiError.InvalidArgument("* BatchEmbedContentsRequest.requests: requests must not be empty."), false, ct);
            return;
        }

        var vectors = new List<float[]>();
        for (var i = 0; i < requests.Count; i++)
        {
            var item = requests[i];
            var text = EmbeddingText(item);
            if (text is null)
            {
                await WriteErrorAsync(context, GeminiError.InvalidArgument($"* EmbedContentRequest.content: content must hold text parts (requests[{i}])."), false, ct);
                return;
            }

            if (!single && !(item.TryGetProperty("model"u8, out var model) && model.GetString() == "models/" + route.Model))
            {
                await WriteErrorAsync(context, GeminiError.InvalidArgument($"* BatchEmbedContentsRequest.model: requests[{i}].model must be models/{route.Model}."), false, ct);
                return;
            }

            if (Dimensions(item, out var dimensions) is { } dimensionError)
            {
                await WriteErrorAsync(context, dimensionError, false, ct);
                return;
            }

            vectors.Add(EmbeddingVectorGenerator.Generate(Encoding.UTF8.GetBytes(text), dimensions ?? state.Options.EmbeddingDimensions));
        }

        var body = single ? GeminiJson.SingleEmbedding(vectors[0]) : GeminiJson.BatchEmbeddings(vectors);
        await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, body, plan, logger, ct);
    }

    private static async Task PredictAsync(HttpContext context, MockProviderState state, JsonElement root, FaultPlan plan, ILogger logger, CancellationToken ct)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("instances"u8, out var instances) || instances.ValueKind != JsonValueKind.Array || instances.GetArrayLength() == 0)
        {
            await WriteErrorAsync(context, GeminiError.InvalidArgument("instances must be a non-empty list."), false, ct);
            return;
        }

        int? dimensions = null;
        if (root.TryGetProperty("parameters"u8, out var parameters) && Dimensions(parameters, out dimensions) is { } dimensionError)
        {
            await WriteErrorAsync(context, dimensionError, false, ct);
            return;
        }

        var predictions = new List<(float[], int)>();
        var characters = 0;
        foreach (var instance in instances.EnumerateArray())
        {
            if (!(instance.ValueKind == JsonValueKind.Object && instance.TryGetProperty("content"u8, out var content) && content.GetString() is { Length: > 0 } text))
            {
                await WriteErrorAsync(context, GeminiError.InvalidArgument("Each instance needs a non-empty content string."), false, ct);
                return;
            }

            characters += text.Length;
            predictions.Add((EmbeddingVectorGenerator.Generate(Encoding.UTF8.GetBytes(text), dimensions ?? state.Options.EmbeddingDimensions), TokenEstimator.ForText(text.Length)));
        }

        await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, GeminiJson.Predictions(predictions, characters), plan, logger, ct);
    }

    private static string? EmbeddingText(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("content"u8, out var content) || !content.TryGetProperty("parts"u8, out var parts)
            || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (!part.TryGetProperty("text"u8, out var text) || text.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            builder.Append(text.GetString());
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private static GeminiError? Dimensions(JsonElement holder, out int? dimensions)
    {
        dimensions = null;
        if (!holder.TryGetProperty("outputDimensionality"u8, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n is < 1 or > EmbeddingLimits.MaxDimensions)
        {
            return GeminiError.InvalidArgument($"outputDimensionality must be between 1 and {EmbeddingLimits.MaxDimensions}.");
        }

        dimensions = n;
        return null;
    }

    /// <summary>Delay, reset-before-response and status faults (Google error JSON); true when the request is finished.</summary>
    private static async Task<bool> ApplyPreResponseFaultsAsync(HttpContext context, MockProviderState state, string path, FaultPlan plan, bool wrapErrors, ILogger logger, CancellationToken ct)
    {
        if (plan.IsNone)
        {
            return false;
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var fault = plan.ToString();
            Log.FaultApplied(logger, context.Request.Method, path, fault);
        }

        if (plan.Delay > TimeSpan.Zero)
        {
            await Task.Delay(plan.Delay, state.Time, ct);
        }

        if (plan.ResetBeforeResponse)
        {
            Log.ConnectionAborted(logger, path, 0);
            context.Abort();
            return true;
        }

        if (plan.StatusCode is not { } status)
        {
            return false;
        }

        // Google sends no retry-after header: the delay travels in the body's RetryInfo.
        await WriteErrorAsync(context, GeminiError.ForStatus(status, plan.ErrorMessage, plan.RetryAfterSeconds), wrapErrors, ct);
        return true;
    }

    private static Task WriteErrorAsync(HttpContext context, GeminiError error, bool wrapInArray, CancellationToken ct)
    {
        var json = GeminiJson.Error(error);
        byte[] body = wrapInArray ? [.. "["u8, .. json, .. "]"u8] : json;
        var response = context.Response;
        response.StatusCode = error.Code;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, ct).AsTask();
    }
}

using System.Globalization;
using System.Text.Json;
using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Bedrock;

/// <summary>
/// Answers Bedrock runtime requests (<c>{prefix}/model/{modelId}/converse</c>, <c>/converse-stream</c>,
/// <c>/invoke</c>): sets <c>x-amzn-RequestId</c>, verifies SigV4 or the Bedrock API key, applies the fault
/// plan in Bedrock's terms (a status becomes its exception JSON with <c>x-amzn-ErrorType</c>; a mid-stream
/// error becomes an exception frame), validates the body like Converse and answers.
/// </summary>
internal static class BedrockHandler
{
    /// <summary>The exception frame sent for a mid-stream fault.</summary>
    public const string StreamExceptionType = "modelStreamErrorException";

    /// <summary>The raw request target (path and query exactly as sent, still percent-encoded).</summary>
    public static string RawTarget(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw) ? context.Request.PathBase.Add(context.Request.Path).Value + context.Request.QueryString.Value : raw;
    }

    public static async Task HandleAsync(HttpContext context, MockProviderState state, BedrockRoute route, string path, ReadOnlyMemory<byte> body, long requestNumber, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        var response = context.Response;
        response.Headers["x-amzn-RequestId"] = string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{requestNumber:D12}");
        if (BedrockSignatureVerifier.Check(context.Request, RawTarget(context), body.Span, state.Options.Bedrock, state.Time.GetUtcNow()) is { } authError)
        {
            await authError.WriteAsync(context, ct);
            return;
        }

        var rule = state.Faults.TryConsume(path, route.ModelId);
        if (!FaultPlan.TryCreate(rule, context.Request.Headers, out var plan, out var headerError))
        {
            await BedrockError.Validation(headerError!).WriteAsync(context, ct);
            return;
        }

        if (!plan.IsNone)
        {
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
                return;
            }

            if (plan.StatusCode is { } status)
            {
                // Bedrock sends no rate-limit headers, not even retry-after (provider-apis.md §8.5).
                await BedrockError.ForStatus(status, plan.ErrorMessage).WriteAsync(context, ct);
                return;
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await BedrockError.Validation("Malformed input request, please reformat your input and try again.").WriteAsync(context, ct);
            return;
        }

        using (document)
        {
            if (route.Operation == BedrockOperation.Invoke)
            {
                var (answer, tokens, error) = InvokeEmbeddings.Answer(route.ModelId, document.RootElement, state.Options.EmbeddingDimensions, requestNumber);
                if (error is not null)
                {
                    await error.WriteAsync(context, ct);
                    return;
                }

                response.Headers["x-amzn-bedrock-input-token-count"] = tokens.ToString(CultureInfo.InvariantCulture);
                await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, answer!, plan, logger, ct);
                return;
            }

            if (ConverseReplyPlanner.Validate(document.RootElement) is { } invalid)
            {
                await invalid.WriteAsync(context, ct);
                return;
            }

            var reply = ConverseReplyPlanner.Plan(document.RootElement, state.Options.ResponseTemplate, route.ModelId, state.NextChatNumber());
            if (route.Operation == BedrockOperation.Converse)
            {
                await JsonResponder.WriteAsync(context, StatusCodes.Status200OK, ConverseJson.Response(reply), plan, logger, ct);
                return;
            }

            await WriteStreamAsync(context, ConverseJson.StreamFrames(reply), plan, plan.ChunkDelay ?? state.Options.ChunkDelay, state.Time, logger, ct);
        }
    }

    private static async Task WriteStreamAsync(HttpContext context, IReadOnlyList<byte[]> frames, FaultPlan plan, TimeSpan chunkDelay, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/vnd.amazon.eventstream";
        await response.StartAsync(ct);
        for (var i = 0; i < frames.Count; i++)
        {
            if (i > 0 && chunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(chunkDelay, time, ct);
            }

            if (plan.ResetAfterEvents == i)
            {
                Log.ConnectionAborted(logger, context.Request.Path.Value ?? "/", i);
                throw new MockConnectionResetException();
            }

            if (plan.StreamErrorAfterEvents == i)
            {
                await response.Body.WriteAsync(ConverseJson.ExceptionFrame(StreamExceptionType, plan.ErrorMessage ?? "The model stream failed (mock fault)."), ct);
                return;
            }

            await response.Body.WriteAsync(frames[i], ct);
            await response.Body.FlushAsync(ct);
        }

        if (plan.ResetAfterEvents is not null)
        {
            Log.ConnectionAborted(logger, context.Request.Path.Value ?? "/", frames.Count);
            throw new MockConnectionResetException();
        }
    }
}

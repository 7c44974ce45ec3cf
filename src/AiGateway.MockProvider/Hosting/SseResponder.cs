using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Hosting;

/// <summary>
/// Sends SSE events one by one, each flushed on its own, waiting the chunk delay between events.
/// Applies the plan's reset (abort after K events) and mid-stream error (error event after K events).
/// The error event is the dialect's: OpenAI's <c>data: {"error":...}</c> by default, Anthropic's
/// <c>event: error</c> when the caller passes one.
/// </summary>
internal static class SseResponder
{
    public static async Task WriteAsync(
        HttpContext context,
        IReadOnlyList<byte[]> events,
        FaultPlan plan,
        TimeSpan chunkDelay,
        TimeProvider time,
        ILogger logger,
        CancellationToken ct,
        Func<string?, byte[]>? streamError = null)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(ct);
        await response.BodyWriter.FlushAsync(ct);
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0 && chunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(chunkDelay, time, ct);
            }

            if (plan.ResetAfterEvents == i)
            {
                Abort(context, logger, i);
            }

            if (plan.StreamErrorAfterEvents == i)
            {
                var error = streamError is null
                    ? ChatCompletionJson.StreamError(OpenAiError.ForStatus(StatusCodes.Status500InternalServerError, plan.ErrorMessage))
                    : streamError(plan.ErrorMessage);
                await response.BodyWriter.WriteAsync(error, ct);
                return;
            }

            await response.BodyWriter.WriteAsync(events[i], ct);
        }

        if (plan.ResetAfterEvents is not null)
        {
            Abort(context, logger, events.Count);
        }
    }

    private static void Abort(HttpContext context, ILogger logger, int events)
    {
        Log.ConnectionAborted(logger, context.Request.Path.Value ?? "/", events);
        throw new MockConnectionResetException();
    }
}

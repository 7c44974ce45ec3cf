using AiGateway.MockProvider.Faults;
using AiGateway.MockProvider.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Hosting;

/// <summary>Sends a complete JSON body, or half of it and then a connection abort when the plan says reset.</summary>
internal static class JsonResponder
{
    public static async Task WriteAsync(HttpContext context, int status, byte[] body, FaultPlan plan, ILogger logger, CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (plan.ResetAfterEvents is not null)
        {
            await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), ct);
            await response.Body.FlushAsync(ct);
            Log.ConnectionAborted(logger, context.Request.Path.Value ?? "/", 0);
            throw new MockConnectionResetException();
        }

        await response.Body.WriteAsync(body, ct);
    }

    public static Task WriteErrorAsync(HttpContext context, OpenAiError error, CancellationToken ct)
    {
        var body = JsonBodies.Error(error);
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, ct).AsTask();
    }

    /// <summary>An Anthropic error body carrying <paramref name="requestId"/> (the <c>request-id</c> header's value).</summary>
    public static Task WriteErrorAsync(HttpContext context, AnthropicError error, string requestId, CancellationToken ct)
    {
        var body = JsonBodies.Error(error, requestId);
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, ct).AsTask();
    }
}

using System.Globalization;
using System.Text.Json;
using AiGateway.MockProvider.Configuration;
using AiGateway.MockProvider.Json;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Hosting;

/// <summary>
/// Control endpoints for a mock running as its own process (docker-compose):
/// <c>GET|DELETE /_mock/requests</c> and <c>GET|POST|DELETE /_mock/faults</c> (POST body: one fault in config-file shape).
/// </summary>
internal static class AdminHandler
{
    public static async Task HandleAsync(HttpContext context, MockProviderState state, string path, CancellationToken ct)
    {
        var method = context.Request.Method;
        switch (path)
        {
            case "/_mock/requests" when HttpMethods.IsGet(method):
                await WriteJsonAsync(context, StatusCodes.Status200OK, JsonBodies.Serialize(state.Recorder.Snapshot(), WriteRequests), ct);
                return;
            case "/_mock/requests" when HttpMethods.IsDelete(method):
                state.Recorder.Clear();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "/_mock/faults" when HttpMethods.IsGet(method):
                await WriteJsonAsync(context, StatusCodes.Status200OK, JsonBodies.Serialize(state.Faults.Snapshot(), WriteFaults), ct);
                return;
            case "/_mock/faults" when HttpMethods.IsDelete(method):
                state.Faults.Clear();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "/_mock/faults" when HttpMethods.IsPost(method):
                await AddFaultAsync(context, state, ct);
                return;
            default:
                await JsonResponder.WriteErrorAsync(context, OpenAiError.InvalidUrl(method, path), ct);
                return;
        }
    }

    private static async Task AddFaultAsync(HttpContext context, MockProviderState state, CancellationToken ct)
    {
        MockFaultConfig? config;
        try
        {
            config = await JsonSerializer.DeserializeAsync(context.Request.Body, MockJsonContext.Default.MockFaultConfig, ct);
        }
        catch (JsonException ex)
        {
            await JsonResponder.WriteErrorAsync(context, new OpenAiError(400, "Invalid fault: " + ex.Message, "invalid_request_error"), ct);
            return;
        }

        if (config is null)
        {
            await JsonResponder.WriteErrorAsync(context, OpenAiError.InvalidJson(), ct);
            return;
        }

        var rule = config.ToRule();
        var errors = rule.Validate("fault");
        if (errors.Count > 0)
        {
            await JsonResponder.WriteErrorAsync(context, new OpenAiError(400, string.Join("; ", errors), "invalid_request_error"), ct);
            return;
        }

        state.Faults.Add(rule);
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static Task WriteJsonAsync(HttpContext context, int status, byte[] body, CancellationToken ct)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, ct).AsTask();
    }

    private static void WriteRequests(Utf8JsonWriter w, IReadOnlyList<RecordedRequest> requests)
    {
        w.WriteStartArray();
        foreach (var request in requests)
        {
            w.WriteStartObject();
            w.WriteString("method"u8, request.Method);
            w.WriteString("path"u8, request.Path);
            w.WriteStartObject("headers"u8);
            foreach (var (name, value) in request.Headers)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WriteString("body"u8, request.BodyText);
            w.WriteString("timestamp"u8, request.Timestamp.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFaults(Utf8JsonWriter w, IReadOnlyList<FaultRule> rules)
    {
        w.WriteStartArray();
        foreach (var rule in rules)
        {
            w.WriteStartObject();
            w.WriteString("path_prefix"u8, rule.PathPrefix);
            WriteOptional(w, "model", rule.Model);
            WriteOptional(w, "times", rule.Times);
            WriteOptional(w, "status", rule.StatusCode);
            WriteOptional(w, "retry_after_seconds", rule.RetryAfterSeconds);
            WriteOptional(w, "error_message", rule.ErrorMessage);
            WriteOptional(w, "delay_ms", (int?)rule.Delay?.TotalMilliseconds);
            WriteOptional(w, "chunk_delay_ms", (int?)rule.ChunkDelay?.TotalMilliseconds);
            WriteOptional(w, "reset_after_events", rule.ResetAfterEvents);
            w.WriteBoolean("reset_before_response"u8, rule.ResetBeforeResponse);
            WriteOptional(w, "stream_error_after_events", rule.StreamErrorAfterEvents);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
    }
}

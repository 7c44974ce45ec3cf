using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;

namespace AiGateway.Core.Translation;

/// <summary>
/// watsonx.ai error bodies (<c>{"errors":[{"code","message"}],"trace","status_code"}</c>, provider-apis.md §6.6)
/// as OpenAI errors: the first error's message (with the trace id, for IBM support) and its code; the
/// status is kept by the caller.
/// </summary>
internal static class WatsonxErrors
{
    /// <summary>Reads a watsonx error body; null when <paramref name="body"/> is not one.</summary>
    public static (string Message, string? Code)? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors)
                || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
            {
                return null;
            }

            var first = errors[0];
            var message = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var code = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var trace = root.TryGetProperty("trace", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            message ??= code ?? "watsonx.ai reported an error.";
            return (trace is null ? message : $"{message} (watsonx.ai trace {trace})", code);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the OpenAI error for a watsonx error response (or a normalised one for any other body).</summary>
    public static void Write(int status, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        if (Read(body) is { } error)
        {
            OpenAiErrorWriter.Write(new ClientError(status, error.Message, OpenAiErrorWriter.TypeFor(status), null, error.Code), output);
            return;
        }

        if (!ErrorBodyNormalizer.TryNormalize(status, body, output))
        {
            output.Write(body);
        }
    }
}

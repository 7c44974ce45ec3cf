using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Gemini;

/// <summary>
/// Google API errors (<c>google.rpc.Status</c> JSON, provider-apis.md §5.5) to OpenAI errors:
/// <c>{"error":{"code":429,"message","status":"RESOURCE_EXHAUSTED","details"}}</c>, also wrapped in a JSON
/// array as Vertex AI sends it from streaming methods. The HTTP status is kept; Google's status becomes the
/// lower-case OpenAI <c>code</c>.
/// </summary>
public static class GeminiErrorReader
{
    /// <summary>Reads the error's message and Google status; false when <paramref name="body"/> is no Google error.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out string message, out string? status)
    {
        message = string.Empty;
        status = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return TryRead(document.RootElement, out message, out status);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads an already parsed error object (or the array that wraps one).</summary>
    public static bool TryRead(JsonElement root, out string message, out string? status)
    {
        message = string.Empty;
        status = null;
        if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
        {
            root = root[0];
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("message", out var m) || m.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        message = m.GetString()!;
        status = error.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return true;
    }

    /// <summary>The OpenAI <c>code</c> for a Google status: <c>RESOURCE_EXHAUSTED</c> becomes <c>resource_exhausted</c>.</summary>
    public static string? CodeFor(string? googleStatus) => googleStatus?.ToLowerInvariant();

    /// <summary>Writes the OpenAI error for a provider error body with HTTP <paramref name="status"/>.</summary>
    public static void WriteOpenAiError(int status, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        if (!TryRead(body, out var message, out var googleStatus))
        {
            if (!ErrorBodyNormalizer.TryNormalize(status, body, output))
            {
                output.Write(body);
            }

            return;
        }

        OpenAiErrorWriter.Write(new ClientError(status, message, OpenAiErrorWriter.TypeFor(status), null, CodeFor(googleStatus)), output);
    }
}

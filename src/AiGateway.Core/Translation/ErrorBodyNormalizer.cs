using System.Buffers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;

namespace AiGateway.Core.Translation;

/// <summary>
/// Turns an error body that is not OpenAI error JSON (a proxy's plain text, an HTML page, Envoy's local
/// replies such as "Payload Too Large") into OpenAI error JSON with the same status.
/// </summary>
public static class ErrorBodyNormalizer
{
    private const int MaxEchoedLength = 300;

    /// <summary>Writes an OpenAI error for <paramref name="status"/> unless <paramref name="body"/> already is one.</summary>
    /// <returns>True when <paramref name="output"/> holds a replacement.</returns>
    public static bool TryNormalize(int status, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        if (OpenAiErrorWriter.IsOpenAiError(body))
        {
            return false;
        }

        if (TryReadFlatError(status, body) is { } flat)
        {
            OpenAiErrorWriter.Write(flat, output);
            return true;
        }

        OpenAiErrorWriter.Write(new ClientError(status, MessageFor(status, body), OpenAiErrorWriter.TypeFor(status), null, CodeFor(status)), output);
        return true;
    }

    /// <summary>The OpenAI error JSON for a status that came without a body.</summary>
    public static byte[] ForEmptyBody(int status) =>
        OpenAiErrorWriter.ToBytes(new ClientError(status, MessageFor(status, default), OpenAiErrorWriter.TypeFor(status), null, CodeFor(status)));

    /// <summary>
    /// The flat error object of vLLM, Mistral and other OpenAI-compatible servers:
    /// <c>{"object":"error","message":"…","type":"…","param":…,"code":…}</c>. Their <c>type</c> is a
    /// server class name (e.g. <c>BadRequestError</c>); the OpenAI type follows from the status.
    /// </summary>
    private static ClientError? TryReadFlatError(int status, ReadOnlySpan<byte> body)
    {
        string? message = null, param = null, code = null;
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var text = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => null,
                };
                reader.Skip();
                switch (name)
                {
                    case "message": message = text; break;
                    case "param": param = text; break;
                    case "code": code = text; break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(message)
            ? null
            : new ClientError(status, message, OpenAiErrorWriter.TypeFor(status), param, code ?? CodeFor(status));
    }

    /// <summary>A message for an error body that is not error JSON: the status, plus short plain text echoed.</summary>
    internal static string MessageFor(int status, ReadOnlySpan<byte> body)
    {
        var text = body.Length is > 0 and <= MaxEchoedLength && !body.Contains((byte)'<') ? TryText(body) : null;
        return string.IsNullOrWhiteSpace(text)
            ? $"The upstream returned HTTP {status}."
            : $"The upstream returned HTTP {status}: {text.Trim()}";
    }

    private static string? TryText(ReadOnlySpan<byte> body)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(body);
            foreach (var c in text)
            {
                if (char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
                {
                    return null;
                }
            }

            return text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string CodeFor(int status) => status switch
    {
        413 => "request_too_large",
        429 => "rate_limit_exceeded",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "timeout",
        _ => $"http_{status}",
    };
}

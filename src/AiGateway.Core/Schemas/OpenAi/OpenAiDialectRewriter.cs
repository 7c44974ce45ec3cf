using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>
/// Adapts an OpenAI chat request to an OpenAI-compatible server's dialect (provider-apis.md §7):
/// Mistral's tool-call ids, tool choice and seed; Groq's rejected parameters. Runs only for those
/// dialects; the generic path copies bytes without building a DOM.
/// </summary>
public static class OpenAiDialectRewriter
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when <paramref name="dialect"/> needs <see cref="Rewrite"/>.</summary>
    public static bool Applies(OpenAiDialect dialect) => dialect is OpenAiDialect.Mistral or OpenAiDialect.Groq;

    /// <summary>Rewrites a chat request already in OpenAI form.</summary>
    /// <param name="dialect">The server kind.</param>
    /// <param name="body">The provider-bound OpenAI body.</param>
    /// <param name="output">Receives the rewritten body.</param>
    /// <returns>Null, or the 400 to answer when the request asks for what the server cannot do.</returns>
    public static ClientError? Rewrite(OpenAiDialect dialect, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (JsonNode.Parse(body) is not JsonObject root)
        {
            return ClientError.MalformedJson("the body is not a JSON object");
        }

        var error = dialect switch
        {
            OpenAiDialect.Mistral => ForMistral(root),
            OpenAiDialect.Groq => ForGroq(root),
            _ => null,
        };
        if (error is not null)
        {
            return error;
        }

        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = WriteOptions.Encoder });
        root.WriteTo(writer, WriteOptions);
        return null;
    }

    /// <summary>A Mistral-valid tool-call id (nine characters of [A-Za-z0-9]) for any id, stable across calls.</summary>
    public static string MistralToolCallId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 9 && id.All(char.IsAsciiLetterOrDigit))
        {
            return id;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        var value = BitConverter.ToUInt64(hash);
        Span<char> chars = stackalloc char[9];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base62[(int)(value % 62)];
            value /= 62;
        }

        return new string(chars);
    }

    private static ClientError? ForMistral(JsonObject root)
    {
        if (root["tool_choice"] is JsonValue choice && choice.TryGetValue<string>(out var text) && text == "required")
        {
            root["tool_choice"] = "any";
        }

        if (root["seed"] is { } seed)
        {
            root.Remove("seed");
            root["random_seed"] = seed.DeepClone();
        }

        if (root["messages"] is JsonArray messages)
        {
            foreach (var message in messages.OfType<JsonObject>())
            {
                message.Remove("name");
                foreach (var key in message.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    message.Remove(key);
                }

                if (message["tool_call_id"] is JsonValue callId && callId.TryGetValue<string>(out var id))
                {
                    message["tool_call_id"] = MistralToolCallId(id);
                }

                if (message["tool_calls"] is JsonArray calls)
                {
                    foreach (var call in calls.OfType<JsonObject>())
                    {
                        if (call["id"] is JsonValue v && v.TryGetValue<string>(out var callIdText))
                        {
                            call["id"] = MistralToolCallId(callIdText);
                        }
                    }
                }
            }
        }

        return null;
    }

    private static ClientError? ForGroq(JsonObject root)
    {
        foreach (var name in (ReadOnlySpan<string>)["logprobs", "top_logprobs", "logit_bias"])
        {
            if (root[name] is { } value && !(value is JsonValue v && v.GetValueKind() is JsonValueKind.False or JsonValueKind.Null))
            {
                return Unsupported(name, $"'{name}' is not supported by this provider (Groq)");
            }
        }

        if (root["n"] is JsonValue n && n.TryGetValue<double>(out var count) && count != 1)
        {
            return Unsupported("n", "this provider (Groq) only supports n = 1");
        }

        if (root["messages"] is JsonArray messages)
        {
            foreach (var message in messages.OfType<JsonObject>())
            {
                // Groq refuses the field outright; it only names a participant, so it is dropped.
                message.Remove("name");
            }
        }

        return null;
    }

    private static ClientError Unsupported(string param, string message) =>
        new(400, message, "invalid_request_error", param, "unsupported_parameter");
}

using System.Text.Json;
using System.Text.Json.Nodes;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Pii;

/// <summary>The outcome of masking a request.</summary>
/// <param name="Request">The request with masked text (the same instance when nothing was found).</param>
/// <param name="Found">Findings per label.</param>
/// <param name="BlockedBy">The type that blocks the request, if any.</param>
/// <param name="Placeholders">Reversible placeholders handed out.</param>
public sealed record RequestMaskOutcome(ParsedRequest Request, IReadOnlyDictionary<string, int> Found, string? BlockedBy, PiiPlaceholders Placeholders);

/// <summary>
/// Masks the text of a chat (OpenAI) or Messages (Anthropic) request: message content strings, text parts
/// and blocks, tool-call arguments, tool results and the Messages <c>system</c>. Image, audio and file parts
/// (base64 payloads) are never touched.
/// </summary>
public static class RequestMasking
{
    /// <summary>Masks <paramref name="request"/> with <paramref name="masker"/>.</summary>
    public static RequestMaskOutcome Mask(ParsedRequest request, PiiMasker masker, string tenant)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(masker);
        var placeholders = new PiiPlaceholders();
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        if (request.Endpoint is not (EndpointKind.ChatCompletions or EndpointKind.Messages) || JsonNode.Parse(request.Body.Span) is not JsonObject root)
        {
            return new RequestMaskOutcome(request, found, null, placeholders);
        }

        string? blocked = null;
        var changed = false;

        void MaskValue(JsonNode? parent, string name)
        {
            if (parent?[name] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                var result = masker.Mask(text, tenant, placeholders);
                foreach (var (label, count) in result.Found)
                {
                    found[label] = found.GetValueOrDefault(label) + count;
                }

                blocked ??= result.BlockedBy;
                if (!ReferenceEquals(result.Text, text))
                {
                    parent[name] = result.Text;
                    changed = true;
                }
            }
        }

        void MaskContent(JsonNode? holder, string name)
        {
            switch (holder?[name])
            {
                case JsonValue:
                    MaskValue(holder, name);
                    break;
                case JsonArray parts:
                    foreach (var part in parts)
                    {
                        MaskValue(part, "text");
                        if (part?["content"] is not null)
                        {
                            MaskContent(part, "content"); // Anthropic tool_result blocks
                        }
                    }

                    break;
            }
        }

        if (request.Endpoint == EndpointKind.Messages)
        {
            MaskContent(root, "system");
        }

        if (root["messages"] is JsonArray messages)
        {
            foreach (var message in messages)
            {
                MaskContent(message, "content");
                if (message?["tool_calls"] is JsonArray calls)
                {
                    foreach (var call in calls)
                    {
                        MaskValue(call?["function"], "arguments");
                    }
                }
            }
        }

        if (!changed)
        {
            return new RequestMaskOutcome(request, found, blocked, placeholders);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(root, MaskingJson.Default.JsonObject);
        return new RequestMaskOutcome(request with { Body = body }, found, blocked, placeholders);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class MaskingJson : System.Text.Json.Serialization.JsonSerializerContext;

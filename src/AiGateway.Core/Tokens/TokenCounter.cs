using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Translation;
using Microsoft.ML.Tokenizers;

namespace AiGateway.Core.Tokens;

/// <summary>
/// Counts the input tokens of a request before it is sent, the way OpenAI bills chat completions:
/// 3 tokens per message, the tokens of every string field of the message (role, content, name), 1 more
/// per <c>name</c>, 3 for the primed assistant reply, and per tool definition 7 (o200k) or 10 (cl100k)
/// plus the name and description, 3 per parameter list, 3 per parameter plus <c>name:type:description</c>,
/// −3 per enum plus 3 and the value per enum item, and 12 after the tool list (OpenAI cookbook, "How to
/// count tokens with tiktoken", sections 6 and 7). Other families: every text is counted with an OpenAI vocabulary
/// and passed through the family's calibrated <see cref="TokenEstimator"/>; the structural overheads above are
/// kept, and the sum is rounded once (<see cref="ModelTokenProfile"/>, docs/tokens-and-costs.md).
/// </summary>
public static class TokenCounter
{
    private const int TokensPerMessage = 3;
    private const int TokensPerName = 1;
    private const int ReplyPriming = 3;
    private const int PropertiesInit = 3;
    private const int PropertyKey = 3;
    private const int EnumInit = -3;
    private const int EnumItem = 3;
    private const int FunctionsEnd = 12;

    /// <summary>Counts the tokens of plain text for <paramref name="model"/>.</summary>
    public static TokenCount CountText(string model, ReadOnlySpan<char> text)
    {
        var profile = ModelTokenProfile.For(model);
        var meter = new Meter(TokenEncodings.Get(profile.Encoding), profile.Estimator);
        return new TokenCount(meter.Total(meter.Count(text)), profile.Exact, profile.Family, profile.Encoding);
    }

    /// <summary>Counts the input tokens of a parsed client request; null when its body cannot be read.</summary>
    public static TokenCount? CountRequest(ParsedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var profile = ModelTokenProfile.For(request.Model);
        var meter = new Meter(TokenEncodings.Get(profile.Encoding), profile.Estimator);
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            var root = document.RootElement;
            var exact = profile.Exact;
            var total = request.Endpoint switch
            {
                EndpointKind.ChatCompletions => CountChat(root, meter, profile.ToolFunctionInit, ref exact),
                EndpointKind.Embeddings => CountEmbeddingsInput(root, meter),
                EndpointKind.Messages => CountMessages(root, meter, ref exact),
                _ => 0,
            };
            return new TokenCount(meter.Total(total), exact, profile.Family, profile.Encoding);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Counts an OpenAI chat request body: messages and tool definitions.</summary>
    private static double CountChat(JsonElement root, Meter meter, int toolFunctionInit, ref bool exact)
    {
        double total = 0;
        if (root.TryGetProperty("messages"u8, out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                total += TokensPerMessage;
                if (message.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var property in message.EnumerateObject())
                {
                    var value = property.Value;
                    switch (value.ValueKind)
                    {
                        case JsonValueKind.String:
                            total += Count(meter, value);
                            if (property.NameEquals("name"u8))
                            {
                                total += TokensPerName;
                            }

                            break;
                        case JsonValueKind.Array when property.NameEquals("content"u8):
                            total += CountContentParts(value, meter, ref exact);
                            break;
                        case JsonValueKind.Array when property.NameEquals("tool_calls"u8):
                            // OpenAI does not publish how tool-call history is rendered: name and arguments are counted.
                            exact = false;
                            foreach (var call in value.EnumerateArray())
                            {
                                if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function"u8, out var function) && function.ValueKind == JsonValueKind.Object)
                                {
                                    total += CountProperty(function, "name"u8, meter) + CountProperty(function, "arguments"u8, meter);
                                }
                            }

                            break;
                    }
                }
            }
        }

        total += ReplyPriming;
        if (root.TryGetProperty("tools"u8, out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            total += CountTools(tools, meter, toolFunctionInit);
        }

        return total;
    }

    /// <summary>Counts the <c>input</c> of an embeddings request (a string, strings, or token arrays).</summary>
    private static double CountEmbeddingsInput(JsonElement root, Meter meter)
    {
        if (!root.TryGetProperty("input"u8, out var input))
        {
            return 0;
        }

        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return Count(meter, input);
            case JsonValueKind.Array:
                double total = 0;
                foreach (var item in input.EnumerateArray())
                {
                    total += item.ValueKind switch
                    {
                        JsonValueKind.String => Count(meter, item),
                        JsonValueKind.Array => item.GetArrayLength(),
                        JsonValueKind.Number => 1,
                        _ => 0,
                    };
                }

                return total;
            default:
                return 0;
        }
    }

    /// <summary>Estimates an Anthropic Messages body: the chat rules applied to system, messages and tool JSON.</summary>
    private static double CountMessages(JsonElement root, Meter meter, ref bool exact)
    {
        exact = false;
        double total = ReplyPriming;
        if (root.TryGetProperty("system"u8, out var system))
        {
            total += TokensPerMessage + CountBlocks(system, meter);
        }

        if (root.TryGetProperty("messages"u8, out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                total += TokensPerMessage;
                if (message.ValueKind == JsonValueKind.Object)
                {
                    total += CountProperty(message, "role"u8, meter);
                    if (message.TryGetProperty("content"u8, out var content))
                    {
                        total += CountBlocks(content, meter);
                    }
                }
            }
        }

        if (root.TryGetProperty("tools"u8, out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            total += CountText(meter, tools.GetRawText());
        }

        return total;
    }

    private static double CountTools(JsonElement tools, Meter meter, int functionInit)
    {
        double total = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("function"u8, out var function) || function.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            total += functionInit;
            total += CountText(meter, $"{StringOf(function, "name"u8)}:{TrimPeriod(StringOf(function, "description"u8))}");
            if (!function.TryGetProperty("parameters"u8, out var parameters) || parameters.ValueKind != JsonValueKind.Object
                || !parameters.TryGetProperty("properties"u8, out var properties) || properties.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var first = true;
            foreach (var property in properties.EnumerateObject())
            {
                if (first)
                {
                    total += PropertiesInit;
                    first = false;
                }

                total += PropertyKey;
                var schema = property.Value;
                var type = string.Empty;
                var description = string.Empty;
                if (schema.ValueKind == JsonValueKind.Object)
                {
                    type = schema.TryGetProperty("type"u8, out var t) ? (t.ValueKind == JsonValueKind.String ? t.GetString()! : t.GetRawText()) : string.Empty;
                    description = StringOf(schema, "description"u8);
                    if (schema.TryGetProperty("enum"u8, out var values) && values.ValueKind == JsonValueKind.Array)
                    {
                        total += EnumInit;
                        foreach (var item in values.EnumerateArray())
                        {
                            total += EnumItem + CountText(meter, item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
                        }
                    }
                }

                total += CountText(meter, $"{property.Name}:{type}:{TrimPeriod(description)}");
            }
        }

        return total + FunctionsEnd;
    }

    private static double CountContentParts(JsonElement parts, Meter meter, ref bool exact)
    {
        double total = 0;
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String)
            {
                total += Count(meter, text);
            }
            else
            {
                // Images, audio and files are billed by their own rules, which are not modelled.
                exact = false;
            }
        }

        return total;
    }

    private static double CountBlocks(JsonElement content, Meter meter)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return Count(meter, content);
            case JsonValueKind.Array:
                double total = 0;
                foreach (var block in content.EnumerateArray())
                {
                    if (block.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    total += CountProperty(block, "text"u8, meter) + CountProperty(block, "name"u8, meter);
                    if (block.TryGetProperty("input"u8, out var input))
                    {
                        total += CountText(meter, input.GetRawText());
                    }

                    if (block.TryGetProperty("content"u8, out var nested))
                    {
                        total += CountBlocks(nested, meter);
                    }
                }

                return total;
            default:
                return 0;
        }
    }

    private static double CountProperty(JsonElement element, ReadOnlySpan<byte> name, Meter meter) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Count(meter, value) : 0;

    private static string StringOf(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static string TrimPeriod(string text) => text.EndsWith('.') ? text[..^1] : text;

    /// <summary>Counts a JSON string without allocating a string for it.</summary>
    private static double Count(Meter meter, JsonElement value)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
        var chars = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            var reader = new Utf8JsonReader(raw);
            reader.Read();
            var length = reader.CopyString(chars);
            return meter.Count(chars.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static double CountText(Meter meter, string text) => meter.Count(text);

    /// <summary>Counts texts with an OpenAI vocabulary, through a family's estimator when it has one.</summary>
    private readonly struct Meter(Tokenizer tokenizer, TokenEstimator? estimator)
    {
        /// <summary>The tokens of one text: exact, or estimated and unrounded.</summary>
        public double Count(ReadOnlySpan<char> text)
        {
            var tokens = tokenizer.CountTokens(text, considerPreTokenization: true, considerNormalization: false);
            return estimator is null ? tokens : estimator.Estimate(tokens, text);
        }

        /// <summary>A request's total in whole tokens: exact sums are whole already, estimates are rounded once.</summary>
        public long Total(double total) => estimator is null ? (long)total : TokenEstimator.Round(total);
    }
}

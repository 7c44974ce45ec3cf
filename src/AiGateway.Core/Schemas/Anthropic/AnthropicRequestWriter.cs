using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Anthropic;

/// <summary>
/// Writes an Anthropic Messages request from an OpenAI chat request (provider-apis.md §3.7): system and
/// developer messages to <c>system</c>, consecutive turns of one role merged, tool calls to
/// <c>tool_use</c>, tool messages to <c>tool_result</c> blocks, images to image blocks, and the
/// sampling and tool parameters renamed. A parameter Anthropic cannot honour is a client error.
/// The request is read once into a pooled <see cref="JsonDocument"/>: the shape changes too much for a
/// byte-level rewrite.
/// </summary>
public static class AnthropicRequestWriter
{
    /// <summary>Default <c>max_tokens</c> when the client sets none (Anthropic requires one).</summary>
    public const int DefaultMaxTokens = 4096;

    /// <summary>
    /// The tool that carries <c>response_format</c> JSON mode: Anthropic has no JSON mode, so the schema
    /// becomes this tool's input schema, the model is made to call it, and the response translator turns
    /// the call's input back into the message content.
    /// </summary>
    public const string JsonResponseTool = "json_response";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the Anthropic body; returns a client error instead when the request cannot be expressed.</summary>
    public static ClientError? Write(ReadOnlyMemory<byte> openAiBody, string model, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(openAiBody);
        var root = document.RootElement;
        if (Unsupported(root) is { } unsupported)
        {
            return unsupported;
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("model"u8, model);
        writer.WriteNumber("max_tokens"u8, MaxTokens(root));

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return new ClientError(400, "'messages' must be an array of messages.", "invalid_request_error", "messages", "invalid_type");
        }

        if (WriteSystem(writer, messages) is { } systemError)
        {
            return systemError;
        }

        if (WriteMessages(writer, messages) is { } messageError)
        {
            return messageError;
        }

        if (root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number)
        {
            var value = temperature.GetDouble();
            if (value is < 0 or > 1)
            {
                return new ClientError(400, $"temperature {value} is outside Anthropic's range 0..1.", "invalid_request_error", "temperature", "invalid_value");
            }

            writer.WriteNumber("temperature"u8, value);
        }

        if (root.TryGetProperty("top_p", out var topP) && topP.ValueKind == JsonValueKind.Number)
        {
            writer.WriteNumber("top_p"u8, topP.GetDouble());
        }

        if (root.TryGetProperty("stop", out var stop))
        {
            WriteStop(writer, stop);
        }

        if (root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
        {
            writer.WriteBoolean("stream"u8, true);
        }

        if (root.TryGetProperty("user", out var user) && user.ValueKind == JsonValueKind.String && !user.GetString()!.Contains('@', StringComparison.Ordinal))
        {
            writer.WriteStartObject("metadata"u8);
            writer.WriteString("user_id"u8, user.GetString());
            writer.WriteEndObject();
        }

        if (WriteTools(writer, root) is { } toolError)
        {
            return toolError;
        }

        writer.WriteEndObject();
        return null;
    }

    private static ClientError? Unsupported(JsonElement root)
    {
        static ClientError Reject(string param, string why) =>
            new(400, $"'{param}' is not supported by this provider (Anthropic): {why}.", "invalid_request_error", param, "unsupported_parameter");

        if (root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && n.GetInt32() != 1)
        {
            return Reject("n", "it returns exactly one choice");
        }

        if (root.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
        {
            return Reject("logprobs", "it returns no log probabilities");
        }

        if (JsonFormatSchema(root, out var formatError).ValueKind == JsonValueKind.Undefined && formatError is not null)
        {
            return Reject("response_format", formatError);
        }

        if (root.TryGetProperty("modalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array
            && modalities.EnumerateArray().Any(m => m.GetString() == "audio"))
        {
            return Reject("modalities", "it has no audio output");
        }

        foreach (var name in (string[])["presence_penalty", "frequency_penalty"])
        {
            if (root.TryGetProperty(name, out var penalty) && penalty.ValueKind == JsonValueKind.Number && penalty.GetDouble() != 0)
            {
                return Reject(name, "it has no penalties");
            }
        }

        if (root.TryGetProperty("logit_bias", out var bias) && bias.ValueKind == JsonValueKind.Object && bias.EnumerateObject().Any())
        {
            return Reject("logit_bias", "it has no logit bias");
        }

        return null;
    }

    private static int MaxTokens(JsonElement root)
    {
        foreach (var name in (string[])["max_completion_tokens", "max_tokens"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var tokens) && tokens > 0)
            {
                return tokens;
            }
        }

        return DefaultMaxTokens;
    }

    private static ClientError? WriteSystem(Utf8JsonWriter writer, JsonElement messages)
    {
        var wrote = false;
        foreach (var message in messages.EnumerateArray())
        {
            var role = Role(message);
            if (role is not ("system" or "developer"))
            {
                continue;
            }

            if (!wrote)
            {
                writer.WriteStartArray("system"u8);
                wrote = true;
            }

            var text = OpenAiMessageText.TextOf(message);
            if (text is null)
            {
                return new ClientError(400, "System and developer messages must contain text.", "invalid_request_error", "messages", "invalid_content");
            }

            if (text.Length > 0)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text");
                writer.WriteString("text"u8, text);
                writer.WriteEndObject();
            }
        }

        if (wrote)
        {
            writer.WriteEndArray();
        }

        return null;
    }

    private static ClientError? WriteMessages(Utf8JsonWriter writer, JsonElement messages)
    {
        writer.WriteStartArray("messages"u8);
        string? openRole = null;
        for (var i = 0; i < messages.GetArrayLength(); i++)
        {
            var message = messages[i];
            var role = Role(message);
            var anthropicRole = role switch
            {
                "user" or "tool" or "function" => "user",
                "assistant" => "assistant",
                "system" or "developer" => null,
                _ => "?",
            };
            if (anthropicRole is null)
            {
                continue;
            }

            if (anthropicRole == "?")
            {
                return new ClientError(400, $"messages[{i}].role '{role}' is not a known role.", "invalid_request_error", $"messages[{i}].role", "invalid_value");
            }

            var blocks = new ArrayBufferWriter<byte>();
            int count;
            ClientError? error;
            using (var blockWriter = new Utf8JsonWriter(blocks, WriterOptions))
            {
                (count, error) = WriteBlocks(blockWriter, message, role!, i);
            }

            if (error is not null)
            {
                return error;
            }

            if (count == 0)
            {
                continue; // Empty assistant turns and empty texts break Anthropic (pitfall 15).
            }

            // Consecutive turns of one role become one turn (tool results and the text after them included).
            if (openRole != anthropicRole)
            {
                if (openRole is not null)
                {
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteStartObject();
                writer.WriteString("role"u8, anthropicRole);
                writer.WriteStartArray("content"u8);
                openRole = anthropicRole;
            }

            writer.WriteRawValue(blocks.WrittenSpan[1..^1], skipInputValidation: true);
        }

        if (openRole is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return null;
    }

    /// <summary>Writes a message's content blocks as a JSON array; returns how many.</summary>
    private static (int Count, ClientError? Error) WriteBlocks(Utf8JsonWriter writer, JsonElement message, string role, int index)
    {
        var count = 0;
        writer.WriteStartArray();
        if (role is "tool" or "function")
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "tool_result");
            writer.WriteString("tool_use_id"u8, message.TryGetProperty("tool_call_id", out var id) ? id.GetString() : string.Empty);
            var text = OpenAiMessageText.TextOf(message) ?? string.Empty;
            writer.WriteString("content"u8, text);
            if (OpenAiMessageText.IsErrorObject(text))
            {
                writer.WriteBoolean("is_error"u8, true);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            return (1, null);
        }

        if (message.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                count += WriteText(writer, content.GetString());
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    var type = part.TryGetProperty("type", out var t) ? t.GetString() : null;
                    switch (type)
                    {
                        case "text":
                            count += WriteText(writer, part.TryGetProperty("text", out var partText) ? partText.GetString() : null);
                            break;
                        case "image_url" when role == "user":
                            if (WriteImage(writer, part, index) is { } imageError)
                            {
                                return (count, imageError);
                            }

                            count++;
                            break;
                        default:
                            return (count, new ClientError(400, $"messages[{index}] has a '{type}' content part, which this provider (Anthropic) cannot take.", "invalid_request_error", $"messages[{index}].content", "unsupported_content"));
                    }
                }
            }
        }

        if (role == "assistant" && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.GetProperty("function");
                var arguments = function.TryGetProperty("arguments", out var a) ? a.GetString() : null;
                writer.WriteStartObject();
                writer.WriteString("type"u8, "tool_use");
                writer.WriteString("id"u8, call.TryGetProperty("id", out var callId) ? callId.GetString() : string.Empty);
                writer.WriteString("name"u8, function.GetProperty("name").GetString());
                writer.WritePropertyName("input"u8);
                if (!TryWriteArguments(writer, arguments))
                {
                    return (count, new ClientError(400, $"messages[{index}].tool_calls: arguments must be a JSON object.", "invalid_request_error", $"messages[{index}].tool_calls", "invalid_tool_arguments"));
                }

                writer.WriteEndObject();
                count++;
            }
        }

        writer.WriteEndArray();
        return (count, null);
    }

    private static int WriteText(Utf8JsonWriter writer, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "text");
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
        return 1;
    }

    private static ClientError? WriteImage(Utf8JsonWriter writer, JsonElement part, int index)
    {
        var url = part.TryGetProperty("image_url", out var image) && image.TryGetProperty("url", out var u) ? u.GetString() : null;
        if (string.IsNullOrEmpty(url))
        {
            return new ClientError(400, $"messages[{index}]: image_url needs a url.", "invalid_request_error", $"messages[{index}].content", "invalid_image");
        }

        writer.WriteStartObject();
        if (url.StartsWith("data:", StringComparison.Ordinal))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var header = comma > 5 ? url[5..comma] : string.Empty;
            var mediaType = header.Split(';')[0];
            if (!header.EndsWith(";base64", StringComparison.Ordinal) || mediaType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp" or "application/pdf"))
            {
                return new ClientError(400, $"messages[{index}]: only base64 data URLs of image/jpeg, image/png, image/gif, image/webp or application/pdf are accepted.", "invalid_request_error", $"messages[{index}].content", "invalid_image");
            }

            writer.WriteString("type"u8, mediaType == "application/pdf" ? "document" : "image");
            writer.WriteStartObject("source"u8);
            writer.WriteString("type"u8, "base64");
            writer.WriteString("media_type"u8, mediaType);
            writer.WriteString("data"u8, url.AsSpan(comma + 1));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("type"u8, url.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) ? "document" : "image");
            writer.WriteStartObject("source"u8);
            writer.WriteString("type"u8, "url");
            writer.WriteString("url"u8, url);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        return null;
    }

    private static bool TryWriteArguments(Utf8JsonWriter writer, string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return true;
        }

        try
        {
            using var parsed = JsonDocument.Parse(arguments);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            parsed.RootElement.WriteTo(writer);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>True when the OpenAI request asks for JSON output (json_object or json_schema), which is sent as <see cref="JsonResponseTool"/>.</summary>
    public static bool AsksForJson(ReadOnlySpan<byte> openAiBody) => OpenAiResponseFormat.AsksForJson(openAiBody);

    /// <summary>The input schema for <see cref="JsonResponseTool"/> (<see cref="OpenAiResponseFormat.JsonSchema"/>).</summary>
    private static JsonElement JsonFormatSchema(JsonElement root, out string? error) => OpenAiResponseFormat.JsonSchema(root, out error);

    private static ClientError? WriteTools(Utf8JsonWriter writer, JsonElement root)
    {
        var clientTools = root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        var jsonSchema = JsonFormatSchema(root, out _);
        var jsonMode = jsonSchema.ValueKind == JsonValueKind.Object;
        var hasTools = clientTools || jsonMode;
        if (hasTools)
        {
            writer.WriteStartArray("tools"u8);
            foreach (var tool in clientTools ? tools.EnumerateArray() : default)
            {
                if (!tool.TryGetProperty("function", out var function) || !function.TryGetProperty("name", out var name))
                {
                    return new ClientError(400, "Only function tools with a name are supported.", "invalid_request_error", "tools", "unsupported_tool");
                }

                if (jsonMode && name.GetString() == JsonResponseTool)
                {
                    return new ClientError(400, $"The tool name '{JsonResponseTool}' is reserved by the gateway when response_format asks for JSON from Anthropic.", "invalid_request_error", "tools", "reserved_tool_name");
                }

                writer.WriteStartObject();
                writer.WriteString("name"u8, name.GetString());
                if (function.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
                {
                    writer.WriteString("description"u8, description.GetString());
                }

                writer.WritePropertyName("input_schema"u8);
                if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
                {
                    parameters.WriteTo(writer);
                }
                else
                {
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "object");
                    writer.WriteStartObject("properties"u8);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            if (jsonMode)
            {
                writer.WriteStartObject();
                writer.WriteString("name"u8, JsonResponseTool);
                writer.WriteString("description"u8, "Give the final answer as this tool's input: a JSON object matching the schema.");
                writer.WritePropertyName("input_schema"u8);
                jsonSchema.WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        var parallel = !(root.TryGetProperty("parallel_tool_calls", out var p) && p.ValueKind == JsonValueKind.False);
        string? choiceType = null;
        string? choiceName = null;
        if (root.TryGetProperty("tool_choice", out var choice))
        {
            if (choice.ValueKind == JsonValueKind.String)
            {
                choiceType = choice.GetString() switch
                {
                    "auto" => "auto",
                    "required" => "any",
                    "none" => "none",
                    _ => null,
                };
                if (choiceType is null)
                {
                    return new ClientError(400, $"tool_choice '{choice.GetString()}' is not one of auto, required, none.", "invalid_request_error", "tool_choice", "invalid_value");
                }
            }
            else if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var chosen) && chosen.TryGetProperty("name", out var chosenName))
            {
                choiceType = "tool";
                choiceName = chosenName.GetString();
            }
        }

        if (jsonMode)
        {
            // The answer must come as a tool call: the JSON tool, or one of the client's tools when it allowed them.
            (choiceType, choiceName) = clientTools && choiceType is null or "auto" or "any" ? ("any", null)
                : choiceType == "tool" ? ("tool", choiceName)
                : ("tool", JsonResponseTool);
        }

        if (hasTools && (choiceType is not null || !parallel))
        {
            writer.WriteStartObject("tool_choice"u8);
            writer.WriteString("type"u8, choiceType ?? "auto");
            if (choiceName is not null)
            {
                writer.WriteString("name"u8, choiceName);
            }

            if (!parallel && choiceType != "none")
            {
                writer.WriteBoolean("disable_parallel_tool_use"u8, true);
            }

            writer.WriteEndObject();
        }

        return null;
    }

    private static void WriteStop(Utf8JsonWriter writer, JsonElement stop)
    {
        var sequences = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array => stop.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).ToArray(),
            _ => Array.Empty<string>(),
        };
        sequences = sequences.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
        if (sequences.Length == 0)
        {
            return;
        }

        writer.WriteStartArray("stop_sequences"u8);
        foreach (var sequence in sequences)
        {
            writer.WriteStringValue(sequence);
        }

        writer.WriteEndArray();
    }

    private static string? Role(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var role) ? role.GetString() : null;
}

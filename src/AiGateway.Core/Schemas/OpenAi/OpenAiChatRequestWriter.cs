using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>
/// Writes an OpenAI chat request from an Anthropic Messages request (provider-apis.md §3.10): <c>system</c>
/// to a leading system message, <c>tool_result</c> blocks to tool messages ahead of the rest of their
/// turn, <c>tool_use</c> blocks to tool calls, images to <c>image_url</c> parts, and the sampling, stop,
/// tool and thinking parameters renamed. What has no OpenAI equivalent is a client error, never dropped;
/// only hints that do not change the answer are left out (<c>cache_control</c>, <c>service_tier</c>, the
/// <c>thinking</c> blocks of earlier assistant turns). The request is read once into a pooled
/// <see cref="JsonDocument"/>: the shape changes too much for a byte-level rewrite.
/// </summary>
public static class OpenAiChatRequestWriter
{
    /// <summary>Thinking budgets from which <c>reasoning_effort</c> is <c>medium</c> and <c>high</c>.</summary>
    public const int MediumEffortBudget = 4096;

    /// <inheritdoc cref="MediumEffortBudget"/>
    public const int HighEffortBudget = 16384;

    private enum Block
    {
        Other,
        Text,
        Image,
        ToolUse,
        ToolResult,
        Thinking,
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the OpenAI body; returns a client error instead when the request cannot be expressed.</summary>
    /// <param name="anthropicBody">The client's Messages request (already read by <see cref="Anthropic.AnthropicRequestReader"/>).</param>
    /// <param name="output">Receives the chat request.</param>
    /// <param name="hasTopK">True when the request set <c>top_k</c>, which is written as an extension field.</param>
    public static ClientError? Write(ReadOnlyMemory<byte> anthropicBody, IBufferWriter<byte> output, out bool hasTopK)
    {
        hasTopK = false;
        using var document = JsonDocument.Parse(anthropicBody);
        var root = document.RootElement;
        if (Unsupported(root) is { } unsupported)
        {
            return unsupported;
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        Copy(writer, "model"u8, root.GetProperty("model"));
        writer.WriteStartArray("messages"u8);
        if (root.TryGetProperty("system", out var system) && WriteSystem(writer, system) is { } systemError)
        {
            return systemError;
        }

        var messages = root.GetProperty("messages");
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (WriteMessage(writer, message, index++) is { } messageError)
            {
                return messageError;
            }
        }

        writer.WriteEndArray();
        writer.WriteNumber("max_completion_tokens"u8, root.GetProperty("max_tokens").GetInt64());
        CopyNumber(writer, root, "temperature", "temperature"u8);
        CopyNumber(writer, root, "top_p", "top_p"u8);
        hasTopK = CopyNumber(writer, root, "top_k", "top_k"u8);

        if (root.TryGetProperty("stop_sequences", out var stops) && WriteStop(writer, stops) is { } stopError)
        {
            return stopError;
        }

        if (root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
        {
            writer.WriteBoolean("stream"u8, true);
            writer.WriteStartObject("stream_options"u8);
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }

        if (WriteTools(writer, root) is { } toolError)
        {
            return toolError;
        }

        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("user_id", out var user) && user.ValueKind == JsonValueKind.String)
        {
            Copy(writer, "user"u8, user);
        }

        if (Effort(root, out var effortError) is { } effort)
        {
            writer.WriteString("reasoning_effort"u8, effort);
        }
        else if (effortError is not null)
        {
            return effortError;
        }

        if (root.TryGetProperty("output_config", out var outputConfig) && WriteOutputFormat(writer, outputConfig) is { } formatError)
        {
            return formatError;
        }

        writer.WriteEndObject();
        return null;
    }

    /// <summary>The <c>reasoning_effort</c> for a thinking budget: below 4096 low, below 16384 medium, else high.</summary>
    public static string EffortFor(long budgetTokens) =>
        budgetTokens >= HighEffortBudget ? "high" : budgetTokens >= MediumEffortBudget ? "medium" : "low";

    private static ClientError Reject(string param, string why) =>
        new(400, $"'{param}' is not supported when the model is served by a non-Anthropic provider: {why}.", "invalid_request_error", param, "unsupported_parameter");

    private static ClientError Invalid(string param, string message) =>
        new(400, message, "invalid_request_error", param, "invalid_value");

    private static ClientError? Unsupported(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "model" or "max_tokens" or "messages" or "system" or "temperature" or "top_p" or "top_k" or "stop_sequences"
                    or "stream" or "tools" or "tool_choice" or "metadata" or "thinking" or "output_config" or "prefer_provider":
                    break;
                case "service_tier" or "cache_control":
                    // Capacity and caching hints: the answer is the same without them.
                    break;
                default:
                    return Reject(property.Name, "it has no OpenAI equivalent");
            }
        }

        return null;
    }

    private static ClientError? WriteSystem(Utf8JsonWriter writer, JsonElement system)
    {
        if (system.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (system.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in system.EnumerateArray())
            {
                if (KindOf(block) != Block.Text)
                {
                    return Invalid("system", "system: only text blocks are accepted.");
                }
            }
        }
        else if (system.ValueKind != JsonValueKind.String)
        {
            return Invalid("system", "system: Input should be a valid string or a list of text blocks.");
        }

        if (system.ValueKind == JsonValueKind.String ? system.ValueEquals(ReadOnlySpan<byte>.Empty) : system.GetArrayLength() == 0)
        {
            return null;
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "system");
        WriteJoinedText(writer, "content"u8, system);
        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteMessage(Utf8JsonWriter writer, JsonElement message, int index)
    {
        JsonElement role = default;
        var hasRole = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out role);
        var isUser = hasRole && role.ValueEquals("user"u8);
        if (!isUser && !(hasRole && role.ValueEquals("assistant"u8)))
        {
            return Invalid($"messages.{index}.role", $"messages.{index}.role: Input should be 'user' or 'assistant'");
        }

        if (!message.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return Invalid($"messages.{index}.content", $"messages.{index}.content: Input should be a valid string or a list of content blocks");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, isUser ? "user"u8 : "assistant"u8);
            Copy(writer, "content"u8, content);
            writer.WriteEndObject();
            return null;
        }

        return isUser ? WriteUserBlocks(writer, content, index) : WriteAssistantBlocks(writer, content, index);
    }

    private static ClientError? WriteUserBlocks(Utf8JsonWriter writer, JsonElement blocks, int index)
    {
        // Tool results answer the previous assistant turn, so they go first, one tool message each.
        var parts = 0;
        var onlyText = true;
        foreach (var block in blocks.EnumerateArray())
        {
            switch (KindOf(block))
            {
                case Block.ToolResult:
                    if (WriteToolResult(writer, block, index) is { } resultError)
                    {
                        return resultError;
                    }

                    break;
                case Block.Text:
                    parts++;
                    break;
                case Block.Image:
                    parts++;
                    onlyText = false;
                    break;
                default:
                    return Reject($"messages.{index}.content", $"'{TypeName(block)}' content blocks cannot be sent to OpenAI-format providers");
            }
        }

        if (parts == 0)
        {
            return null;
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "user");
        if (onlyText && parts == 1)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                if (KindOf(block) == Block.Text)
                {
                    WriteText(writer, "content"u8, block);
                }
            }
        }
        else
        {
            writer.WriteStartArray("content"u8);
            foreach (var block in blocks.EnumerateArray())
            {
                var kind = KindOf(block);
                if (kind == Block.Text)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "text");
                    WriteText(writer, "text"u8, block);
                    writer.WriteEndObject();
                }
                else if (kind == Block.Image && WriteImage(writer, block, index) is { } imageError)
                {
                    return imageError;
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteImage(Utf8JsonWriter writer, JsonElement block, int index)
    {
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"messages.{index}.content", $"messages.{index}.content: an image block needs a source.");
        }

        string url;
        switch (source.TryGetProperty("type", out var type) ? type.GetString() : null)
        {
            case "base64":
                var mediaType = source.TryGetProperty("media_type", out var m) ? m.GetString() : null;
                var data = source.TryGetProperty("data", out var d) ? d.GetString() : null;
                if (mediaType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp") || string.IsNullOrEmpty(data))
                {
                    return Invalid($"messages.{index}.content", $"messages.{index}.content: a base64 image needs data and a media_type of image/jpeg, image/png, image/gif or image/webp.");
                }

                url = $"data:{mediaType};base64,{data}";
                break;
            case "url":
                url = source.TryGetProperty("url", out var u) ? u.GetString() ?? string.Empty : string.Empty;
                if (url.Length == 0)
                {
                    return Invalid($"messages.{index}.content", $"messages.{index}.content: a url image needs a url.");
                }

                break;
            case var other:
                return Reject($"messages.{index}.content", $"image sources of type '{other ?? "none"}' cannot be sent to OpenAI-format providers");
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "image_url");
        writer.WriteStartObject("image_url"u8);
        writer.WriteString("url"u8, url);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteToolResult(Utf8JsonWriter writer, JsonElement block, int index)
    {
        if (!block.TryGetProperty("tool_use_id", out var id) || id.ValueKind != JsonValueKind.String || id.ValueEquals(ReadOnlySpan<byte>.Empty))
        {
            return Invalid($"messages.{index}.content", $"messages.{index}.content: tool_result.tool_use_id: Field required");
        }

        var hasContent = block.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.Null;
        if (hasContent && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (KindOf(part) != Block.Text)
                {
                    return Reject($"messages.{index}.content", "tool results may only hold text for OpenAI-format providers");
                }
            }
        }
        else if (hasContent && content.ValueKind != JsonValueKind.String)
        {
            return Invalid($"messages.{index}.content", $"messages.{index}.content: tool_result.content should be a string or a list of blocks");
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "tool");
        Copy(writer, "tool_call_id"u8, id);

        // OpenAI has no error flag: a failed tool's result is an {"error": ...} object, the form the
        // gateway reads back as is_error in the other direction.
        if (block.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True)
        {
            var text = !hasContent ? string.Empty : content.ValueKind == JsonValueKind.String ? content.GetString()! : JoinedText(content);
            writer.WriteString("content"u8, OpenAiMessageText.IsErrorObject(text) ? text : ErrorObject(text));
        }
        else if (hasContent)
        {
            WriteJoinedText(writer, "content"u8, content);
        }
        else
        {
            writer.WriteString("content"u8, string.Empty);
        }

        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteAssistantBlocks(Utf8JsonWriter writer, JsonElement blocks, int index)
    {
        var texts = 0;
        var calls = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            switch (KindOf(block))
            {
                case Block.Text:
                    texts++;
                    break;
                case Block.ToolUse:
                    if (!block.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                        || !block.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                    {
                        return Invalid($"messages.{index}.content", $"messages.{index}.content: tool_use blocks need an id and a name.");
                    }

                    calls++;
                    break;
                case Block.Thinking:
                    // Earlier reasoning is Anthropic's to verify (signatures); OpenAI takes none back.
                    break;
                default:
                    return Reject($"messages.{index}.content", $"'{TypeName(block)}' content blocks cannot be sent to OpenAI-format providers");
            }
        }

        if (texts == 0 && calls == 0)
        {
            return null;
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant");
        if (texts == 0)
        {
            writer.WriteNull("content"u8);
        }
        else
        {
            WriteJoinedText(writer, "content"u8, blocks, skipOthers: true);
        }

        if (calls > 0)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (var block in blocks.EnumerateArray())
            {
                if (KindOf(block) != Block.ToolUse)
                {
                    continue;
                }

                writer.WriteStartObject();
                Copy(writer, "id"u8, block.GetProperty("id"));
                writer.WriteString("type"u8, "function");
                writer.WriteStartObject("function"u8);
                Copy(writer, "name"u8, block.GetProperty("name"));

                // The input's JSON text, as it came, becomes the arguments string.
                writer.WriteString("arguments"u8, block.TryGetProperty("input", out var input) && input.ValueKind != JsonValueKind.Null ? JsonMarshal.GetRawUtf8Value(input) : "{}"u8);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteStop(Utf8JsonWriter writer, JsonElement stops)
    {
        if (stops.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (stops.ValueKind != JsonValueKind.Array || stops.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
        {
            return Invalid("stop_sequences", "stop_sequences: Input should be a list of strings");
        }

        if (stops.GetArrayLength() > 0)
        {
            writer.WritePropertyName("stop"u8);
            stops.WriteTo(writer);
        }

        return null;
    }

    private static ClientError? WriteTools(Utf8JsonWriter writer, JsonElement root)
    {
        var toolCount = 0;
        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                var type = tool.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "custom";
                if (type != "custom")
                {
                    return Reject("tools", $"the server tool '{type}' runs only on Anthropic");
                }

                if (!tool.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    return Invalid("tools", $"tools.{toolCount}.name: Field required");
                }

                if (toolCount++ == 0)
                {
                    writer.WriteStartArray("tools"u8);
                }

                writer.WriteStartObject();
                writer.WriteString("type"u8, "function");
                writer.WriteStartObject("function"u8);
                Copy(writer, "name"u8, name);
                if (tool.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
                {
                    Copy(writer, "description"u8, description);
                }

                writer.WritePropertyName("parameters"u8);
                if (tool.TryGetProperty("input_schema", out var schema) && schema.ValueKind == JsonValueKind.Object)
                {
                    schema.WriteTo(writer);
                }
                else
                {
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "object");
                    writer.WriteStartObject("properties"u8);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                if (tool.TryGetProperty("strict", out var strict) && strict.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    writer.WriteBoolean("strict"u8, strict.GetBoolean());
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (toolCount > 0)
            {
                writer.WriteEndArray();
            }
        }

        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var choiceType = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("type", out var ct) ? ct.GetString() : null;
        if (choiceType is not ("auto" or "any" or "tool" or "none"))
        {
            return Invalid("tool_choice", "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
        }

        if (toolCount == 0)
        {
            // OpenAI refuses tool_choice without tools; with no tools there is nothing to choose anyway.
            return null;
        }

        switch (choiceType)
        {
            case "auto":
                writer.WriteString("tool_choice"u8, "auto");
                break;
            case "any":
                writer.WriteString("tool_choice"u8, "required");
                break;
            case "none":
                writer.WriteString("tool_choice"u8, "none");
                return null;
            default:
                if (!choice.TryGetProperty("name", out var chosen) || chosen.ValueKind != JsonValueKind.String)
                {
                    return Invalid("tool_choice", "tool_choice.name: Field required");
                }

                writer.WriteStartObject("tool_choice"u8);
                writer.WriteString("type"u8, "function");
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, chosen.GetString());
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }

        if (choice.TryGetProperty("disable_parallel_tool_use", out var disable) && disable.ValueKind == JsonValueKind.True)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, false);
        }

        return null;
    }

    /// <summary>
    /// <c>thinking</c> (or <c>output_config.effort</c>) to <c>reasoning_effort</c>: an enabled budget maps by size
    /// (<see cref="EffortFor"/>); <c>disabled</c> and <c>adaptive</c> leave the provider's default.
    /// </summary>
    private static string? Effort(JsonElement root, out ClientError? error)
    {
        error = null;
        if (root.TryGetProperty("output_config", out var config) && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("effort", out var effort) && effort.ValueKind == JsonValueKind.String)
        {
            var value = effort.GetString();
            if (value is "low" or "medium" or "high")
            {
                return value;
            }

            if (value == "max")
            {
                return "high";
            }

            error = Invalid("output_config.effort", "output_config.effort: Input should be 'low', 'medium', 'high' or 'max'");
            return null;
        }

        if (!root.TryGetProperty("thinking", out var thinking) || thinking.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (thinking.ValueKind == JsonValueKind.Object && thinking.TryGetProperty("type", out var type) ? type.GetString() : null)
        {
            case "enabled":
                if (!thinking.TryGetProperty("budget_tokens", out var budget) || !budget.TryGetInt64(out var tokens) || tokens < 1)
                {
                    error = Invalid("thinking.budget_tokens", "thinking.enabled.budget_tokens: Field required");
                    return null;
                }

                return EffortFor(tokens);
            case "disabled" or "adaptive":
                return null;
            default:
                error = Invalid("thinking", "thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'");
                return null;
        }
    }

    private static ClientError? WriteOutputFormat(Utf8JsonWriter writer, JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            return Invalid("output_config", "output_config: Input should be an object");
        }

        foreach (var property in config.EnumerateObject())
        {
            if (property.Name is not ("effort" or "format"))
            {
                return Reject("output_config." + property.Name, "it has no OpenAI equivalent");
            }
        }

        if (!config.TryGetProperty("format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out var type) || type.GetString() != "json_schema"
            || !format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            return Invalid("output_config.format", "output_config.format: only {\"type\":\"json_schema\",\"schema\":{...}} is accepted");
        }

        writer.WriteStartObject("response_format"u8);
        writer.WriteString("type"u8, "json_schema");
        writer.WriteStartObject("json_schema"u8);
        writer.WriteString("name"u8, "output");
        writer.WritePropertyName("schema"u8);
        schema.WriteTo(writer);
        writer.WriteBoolean("strict"u8, true);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static bool CopyNumber(Utf8JsonWriter writer, JsonElement root, string name, ReadOnlySpan<byte> utf8Name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        writer.WritePropertyName(utf8Name);
        value.WriteTo(writer);
        return true;
    }

    private static Block KindOf(JsonElement block)
    {
        if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return Block.Other;
        }

        return type.ValueEquals("text"u8) ? Block.Text
            : type.ValueEquals("image"u8) ? Block.Image
            : type.ValueEquals("tool_use"u8) ? Block.ToolUse
            : type.ValueEquals("tool_result"u8) ? Block.ToolResult
            : type.ValueEquals("thinking"u8) || type.ValueEquals("redacted_thinking"u8) ? Block.Thinking
            : Block.Other;
    }

    /// <summary>A block's type name, for error messages only.</summary>
    private static string TypeName(JsonElement block) =>
        block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "untyped";

    /// <summary>Writes a value as it stands in the request, escapes included: no string is materialised or re-escaped.</summary>
    private static void Copy(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
    }

    private static void WriteText(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement block)
    {
        if (block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
        {
            Copy(writer, name, text);
        }
        else
        {
            writer.WriteString(name, string.Empty);
        }
    }

    /// <summary>
    /// Writes a string, or the texts of a block list joined with <c>\n</c>; a single block is copied as is.
    /// With <paramref name="skipOthers"/>, blocks that are not text are passed over.
    /// </summary>
    private static void WriteJoinedText(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value, bool skipOthers = false)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            Copy(writer, name, value);
            return;
        }

        JsonElement? single = null;
        var count = 0;
        foreach (var block in value.EnumerateArray())
        {
            if (!skipOthers || KindOf(block) == Block.Text)
            {
                single = block;
                count++;
            }
        }

        if (count == 1)
        {
            WriteText(writer, name, single!.Value);
        }
        else
        {
            writer.WriteString(name, JoinedText(value));
        }
    }

    private static string JoinedText(JsonElement blocks)
    {
        var text = new System.Text.StringBuilder();
        foreach (var block in blocks.EnumerateArray())
        {
            if (KindOf(block) != Block.Text)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(block.TryGetProperty("text", out var piece) && piece.ValueKind == JsonValueKind.String ? piece.GetString() : null);
        }

        return text.ToString();
    }

    private static string ErrorObject(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, text);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

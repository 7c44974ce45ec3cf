using System.Buffers;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Tokens;

namespace AiGateway.MockProvider.Bedrock;

/// <summary>
/// Validates a Converse request the way Bedrock does (what a translator most often gets wrong: roles
/// that do not alternate, empty content, blank text, tool blocks without <c>toolConfig</c>, a body that
/// is not Converse) and plans the same deterministic reply as the other dialects: the response template,
/// cut by <c>stopSequences</c> and <c>maxTokens</c>, or a tool use when tools are given and the last user
/// turn mentions "weather" or <c>toolChoice</c> is <c>any</c>/<c>tool</c>.
/// </summary>
internal static class ConverseReplyPlanner
{
    private static readonly string[] BlockKinds = ["text", "image", "document", "toolUse", "toolResult", "reasoningContent", "cachePoint", "video", "guardContent"];
    private static readonly string[] TopLevel = ["messages", "system", "inferenceConfig", "toolConfig", "additionalModelRequestFields", "additionalModelResponseFieldPaths", "guardrailConfig", "performanceConfig", "promptVariables", "requestMetadata", "serviceTier"];

    /// <summary>The 400 to answer, or null when the request is valid.</summary>
    public static BedrockError? Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return BedrockError.Validation("Malformed input request: expected a JSON object.");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!TopLevel.Contains(property.Name, StringComparer.Ordinal))
            {
                return BedrockError.Validation($"Malformed input request: extraneous key [{property.Name}] is not permitted, please reformat your input and try again.");
            }
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return BedrockError.Validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
        }

        var hasToolConfig = root.TryGetProperty("toolConfig", out var toolConfig) && toolConfig.TryGetProperty("tools", out var tools) && tools.GetArrayLength() > 0;
        string? previous = null;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
            if (role is not ("user" or "assistant"))
            {
                return BedrockError.Validation($"messages.{index}.role: '{role}' is not a valid role; use user or assistant.");
            }

            if (previous is null && role != "user")
            {
                return BedrockError.Validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
            }

            if (previous == role)
            {
                return BedrockError.Validation("A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.");
            }

            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array || content.GetArrayLength() == 0)
            {
                return BedrockError.Validation($"The content field in the Message object at messages.{index} is empty. Add a ContentBlock object to the content field and try again.");
            }

            var block = 0;
            foreach (var item in content.EnumerateArray())
            {
                var keys = item.ValueKind == JsonValueKind.Object ? item.EnumerateObject().Select(p => p.Name).ToArray() : [];
                if (keys.Length != 1 || !BlockKinds.Contains(keys[0], StringComparer.Ordinal))
                {
                    return BedrockError.Validation($"messages.{index}.content.{block}: a ContentBlock must have exactly one member of {string.Join(", ", BlockKinds)}.");
                }

                if (keys[0] == "text" && string.IsNullOrWhiteSpace(item.GetProperty("text").GetString()))
                {
                    return BedrockError.Validation($"The text field in the ContentBlock object at messages.{index}.content.{block} is blank. Add text to the text field, and try again.");
                }

                if (keys[0] is "toolUse" or "toolResult" && !hasToolConfig)
                {
                    return BedrockError.Validation("The toolConfig field must be defined when using toolUse and toolResult content blocks.");
                }

                if (keys[0] == "image" && ValidateImage(item.GetProperty("image"), index, block) is { } imageError)
                {
                    return imageError;
                }

                block++;
            }

            previous = role;
            index++;
        }

        if (root.TryGetProperty("inferenceConfig", out var config))
        {
            if (config.TryGetProperty("temperature", out var temperature) && temperature.GetDouble() is < 0 or > 1)
            {
                return BedrockError.Validation("inferenceConfig.temperature: must be between 0 and 1.");
            }

            if (config.TryGetProperty("maxTokens", out var maxTokens) && maxTokens.GetInt32() < 1)
            {
                return BedrockError.Validation("inferenceConfig.maxTokens: must be at least 1.");
            }
        }

        return null;
    }

    /// <summary>The reply to a request that passed <see cref="Validate"/>.</summary>
    public static ConverseReply Plan(JsonElement root, string template, string modelId, long number)
    {
        ArgumentNullException.ThrowIfNull(template);
        var messages = root.GetProperty("messages");
        var last = messages[messages.GetArrayLength() - 1];
        var lastIsUser = last.GetProperty("role").GetString() == "user";
        var lastText = lastIsUser ? TextOf(last) : string.Empty;
        var lastHasToolResult = last.GetProperty("content").EnumerateArray().Any(b => b.TryGetProperty("toolResult", out _));

        long chars = 0;
        var count = 0;
        if (root.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in system.EnumerateArray())
            {
                chars += block.TryGetProperty("text", out var t) ? t.GetString()!.Length : 0;
                count++;
            }
        }

        foreach (var message in messages.EnumerateArray())
        {
            chars += TextOf(message).Length;
            count++;
        }

        var inputTokens = TokenEstimator.ForPrompt(chars, count);
        var tool = ChooseTool(root, lastIsUser && !lastHasToolResult, lastText);
        if (tool is not null)
        {
            var id = "tooluse_mock_" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var arguments = Encoding.UTF8.GetString(Json.JsonBodies.Serialize(ChatText.Truncate(lastText, 50), static (w, query) =>
            {
                w.WriteStartObject();
                w.WriteString("query"u8, query);
                w.WriteEndObject();
            }));
            var text = $"I'll use the {tool} tool.";
            return new ConverseReply(text, "tool_use", tool, id, arguments, inputTokens, TokenEstimator.ForText(text.Length + arguments.Length));
        }

        var reply = template
            .Replace(MockProviderOptions.LastUserMessagePlaceholder, ChatText.Truncate(lastText, 200), StringComparison.Ordinal)
            .Replace(MockProviderOptions.ModelPlaceholder, modelId, StringComparison.Ordinal);
        var stopReason = "end_turn";
        if (root.TryGetProperty("inferenceConfig", out var config))
        {
            if (config.TryGetProperty("stopSequences", out var stops))
            {
                var cut = stops.EnumerateArray()
                    .Select(s => reply.IndexOf(s.GetString()!, StringComparison.Ordinal))
                    .Where(i => i >= 0)
                    .DefaultIfEmpty(-1)
                    .Min();
                if (cut >= 0)
                {
                    reply = reply[..cut];
                    stopReason = "stop_sequence";
                }
            }

            if (config.TryGetProperty("maxTokens", out var maxTokens) && reply.Length > maxTokens.GetInt32() * TokenEstimator.CharsPerToken)
            {
                reply = ChatText.Truncate(reply, maxTokens.GetInt32() * TokenEstimator.CharsPerToken);
                stopReason = "max_tokens";
            }
        }

        return new ConverseReply(reply, stopReason, null, null, null, inputTokens, TokenEstimator.ForText(reply.Length));
    }

    private static BedrockError? ValidateImage(JsonElement image, int index, int block)
    {
        var format = image.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (format is not ("png" or "jpeg" or "gif" or "webp"))
        {
            return BedrockError.Validation($"messages.{index}.content.{block}.image.format: '{format}' is not one of png, jpeg, gif, webp.");
        }

        var bytes = image.TryGetProperty("source", out var source) && source.TryGetProperty("bytes", out var b) ? b.GetString() : null;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bytes?.Length ?? 0, 1));
        try
        {
            return bytes is null || !Convert.TryFromBase64String(bytes, buffer, out _)
                ? BedrockError.Validation($"messages.{index}.content.{block}.image.source.bytes: expected base64 image bytes.")
                : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? ChooseTool(JsonElement root, bool userTurnWithoutResults, string lastText)
    {
        if (!userTurnWithoutResults || !root.TryGetProperty("toolConfig", out var toolConfig) || !toolConfig.TryGetProperty("tools", out var tools))
        {
            return null;
        }

        var names = tools.EnumerateArray()
            .Select(t => t.TryGetProperty("toolSpec", out var spec) && spec.TryGetProperty("name", out var n) ? n.GetString() : null)
            .OfType<string>()
            .ToList();
        if (names.Count == 0)
        {
            return null;
        }

        if (toolConfig.TryGetProperty("toolChoice", out var choice))
        {
            if (choice.TryGetProperty("tool", out var named))
            {
                return named.GetProperty("name").GetString();
            }

            if (choice.TryGetProperty("any", out _))
            {
                return names.Contains("get_weather") ? "get_weather" : names[0];
            }
        }

        return lastText.Contains("weather", StringComparison.OrdinalIgnoreCase)
            ? names.Contains("get_weather") ? "get_weather" : names[0]
            : null;
    }

    /// <summary>The text blocks of a message (tool results' text included), joined with <c>\n</c>.</summary>
    private static string TextOf(JsonElement message)
    {
        var builder = new StringBuilder();
        foreach (var block in message.GetProperty("content").EnumerateArray())
        {
            if (block.TryGetProperty("text", out var text))
            {
                builder.Append(builder.Length > 0 ? "\n" : string.Empty).Append(text.GetString());
            }
            else if (block.TryGetProperty("toolResult", out var result) && result.TryGetProperty("content", out var content))
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (part.TryGetProperty("text", out var partText))
                    {
                        builder.Append(builder.Length > 0 ? "\n" : string.Empty).Append(partText.GetString());
                    }
                }
            }
        }

        return builder.ToString();
    }
}

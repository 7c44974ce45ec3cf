using System.Globalization;
using System.Text.Json;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Json;
using AiGateway.MockProvider.Tokens;

namespace AiGateway.MockProvider.Messages;

/// <summary>
/// Validates an Anthropic Messages request like the real API and decides the deterministic reply. The rules
/// mirror <see cref="ChatReplyPlanner"/>, so a chat request translated to Messages gets the same answer:
/// <list type="bullet">
/// <item>Text: the response template with <c>{last_user_message}</c> (the last user turn with text, its text blocks
/// joined with <c>\n</c>, cut to 200 chars) and <c>{model}</c>.</item>
/// <item>The earliest <c>stop_sequences</c> match cuts the text (<c>stop_sequence</c>); then <c>max_tokens</c> cuts it
/// to 4 chars per token (<c>max_tokens</c>).</item>
/// <item>A tool use when <c>tools</c> is non-empty, the last turn is a user turn without <c>tool_result</c> blocks,
/// <c>tool_choice</c> is not <c>none</c>, and the turn mentions "weather" or <c>tool_choice</c> is <c>any</c> / <c>tool</c>.</item>
/// </list>
/// </summary>
internal static class MessagesReplyPlanner
{
    /// <summary>The text block that precedes a tool use: <c>I'll use the {name} tool.</c></summary>
    public static string ToolUseText(string toolName) => $"I'll use the {toolName} tool.";

    private static readonly string[] ToolChoiceTypes = ["auto", "any", "tool", "none"];

    /// <summary>The first problem with <paramref name="request"/>, or <see langword="null"/> when it is valid.</summary>
    public static AnthropicError? Validate(MessagesRequest request, MockProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(request.Model))
        {
            return AnthropicError.InvalidRequest("model: Field required");
        }

        if (request.MaxTokens is not { } maxTokens)
        {
            return AnthropicError.InvalidRequest("max_tokens: Field required");
        }

        if (maxTokens < 1)
        {
            return AnthropicError.InvalidRequest("max_tokens: Input should be greater than or equal to 1");
        }

        if (request.Messages is null)
        {
            return AnthropicError.InvalidRequest("messages: Field required");
        }

        if (request.Messages.Count == 0)
        {
            return AnthropicError.InvalidRequest("messages: at least one message is required");
        }

        if ((ValidateSystem(request.System) ?? ValidateRange("temperature", request.Temperature) ?? ValidateRange("top_p", request.TopP)
            ?? ValidateTools(request.Tools) ?? ValidateToolChoice(request.ToolChoice) ?? ValidateMessages(request)) is { } error)
        {
            return error;
        }

        if (options.RejectUnknownModels && !options.Models.Contains(request.Model, StringComparer.Ordinal))
        {
            return AnthropicError.ModelNotFound(request.Model);
        }

        return null;
    }

    /// <summary>The reply to a request that passed <see cref="Validate"/>; <paramref name="number"/> numbers the tool use id.</summary>
    public static MessagesReply Plan(MessagesRequest request, string template, long number)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(template);
        var messages = request.Messages ?? [];
        var inputTokens = CountInputTokens(request);
        string? lastUserText = null;
        foreach (var message in messages)
        {
            if (message?.Role == "user" && ChatText.Extract(message.Content) is { Length: > 0 } text)
            {
                lastUserText = text;
            }
        }

        var last = messages.Count > 0 ? messages[^1] : null;
        if (last is { Role: "user" } && !HasBlock(last.Content, "tool_result"u8)
            && TryPlanToolUse(request, ChatText.Extract(last.Content), number) is { } toolUse)
        {
            var lead = ToolUseText(toolUse.Name);
            var toolTokens = TokenEstimator.ForText(lead.Length) + TokenEstimator.ForText(toolUse.Name.Length + toolUse.Input.Length);
            return new MessagesReply(lead, toolUse, "tool_use", null, inputTokens, toolTokens);
        }

        var reply = template
            .Replace(MockProviderOptions.LastUserMessagePlaceholder, ChatText.Truncate(lastUserText ?? string.Empty, ChatReplyPlanner.EchoLimit), StringComparison.Ordinal)
            .Replace(MockProviderOptions.ModelPlaceholder, request.Model, StringComparison.Ordinal);
        var stopReason = "end_turn";
        string? stopSequence = null;
        if (FirstStopSequence(reply, request.StopSequences) is { } stop)
        {
            reply = reply[..stop.At];
            stopReason = "stop_sequence";
            stopSequence = stop.Sequence;
        }

        if (request.MaxTokens is { } maxTokens && TokenEstimator.ForText(reply.Length) > maxTokens)
        {
            reply = ChatText.Truncate(reply, maxTokens * TokenEstimator.CharsPerToken);
            stopReason = "max_tokens";
            stopSequence = null;
        }

        return new MessagesReply(reply, null, stopReason, stopSequence, inputTokens, TokenEstimator.ForText(reply.Length));
    }

    /// <summary>
    /// ceil(C / 4) + 3 × (messages + system text blocks), where C counts the characters of the system text,
    /// of every text block (a string content is one block) and of the text inside <c>tool_result</c> blocks.
    /// </summary>
    internal static int CountInputTokens(MessagesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        long chars = 0;
        var turns = 0;
        if (request.System is { ValueKind: JsonValueKind.String } systemText && systemText.GetString() is { Length: > 0 } text)
        {
            chars += text.Length;
            turns++;
        }
        else if (request.System is { ValueKind: JsonValueKind.Array } systemBlocks)
        {
            foreach (var block in systemBlocks.EnumerateArray())
            {
                if (TextOf(block) is { } blockText)
                {
                    chars += blockText.Length;
                    turns++;
                }
            }
        }

        foreach (var message in request.Messages ?? [])
        {
            turns++;
            chars += ContentChars(message?.Content);
        }

        return TokenEstimator.ForPrompt(chars, turns);
    }

    private static long ContentChars(JsonElement? content)
    {
        if (content is not { } element)
        {
            return 0;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString()!.Length;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long chars = 0;
        foreach (var block in element.EnumerateArray())
        {
            if (TextOf(block) is { } text)
            {
                chars += text.Length;
            }
            else if (IsType(block, "tool_result"u8) && block.TryGetProperty("content"u8, out var result))
            {
                chars += ContentChars(result);
            }
        }

        return chars;
    }

    private static ToolUseReply? TryPlanToolUse(MessagesRequest request, string userText, long number)
    {
        if (request.Tools is not { ValueKind: JsonValueKind.Array } tools || tools.GetArrayLength() == 0)
        {
            return null;
        }

        string? forcedName = null;
        var forced = false;
        if (request.ToolChoice is { ValueKind: JsonValueKind.Object } choice)
        {
            if (IsType(choice, "none"u8))
            {
                return null;
            }

            forced = IsType(choice, "any"u8) || IsType(choice, "tool"u8);
            forcedName = IsType(choice, "tool"u8) ? NameOf(choice) : null;
        }

        if (!forced && !userText.Contains(ChatReplyPlanner.ToolTriggerWord, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = forcedName ?? PickTool(tools);
        if (name is null)
        {
            return null;
        }

        var input = JsonBodies.Serialize(ChatReplyPlanner.ExtractLocation(userText), static (w, location) =>
        {
            w.WriteStartObject();
            w.WriteString("location"u8, location);
            w.WriteEndObject();
        });
        return new ToolUseReply(
            "toolu_mock_" + number.ToString(CultureInfo.InvariantCulture),
            name,
            System.Text.Encoding.UTF8.GetString(input));
    }

    /// <summary>The first tool whose name contains "weather", else the first tool (same rule as the chat side).</summary>
    private static string? PickTool(JsonElement tools)
    {
        string? first = null;
        foreach (var tool in tools.EnumerateArray())
        {
            if (NameOf(tool) is not { } name)
            {
                continue;
            }

            if (name.Contains(ChatReplyPlanner.ToolTriggerWord, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }

            first ??= name;
        }

        return first;
    }

    private static (int At, string Sequence)? FirstStopSequence(string text, IReadOnlyList<string>? sequences)
    {
        (int At, string Sequence)? first = null;
        foreach (var sequence in sequences ?? [])
        {
            if (string.IsNullOrEmpty(sequence))
            {
                continue;
            }

            var at = text.IndexOf(sequence, StringComparison.Ordinal);
            if (at >= 0 && (first is null || at < first.Value.At))
            {
                first = (at, sequence);
            }
        }

        return first;
    }

    private static AnthropicError? ValidateSystem(JsonElement? system)
    {
        if (system is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.String)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return AnthropicError.InvalidRequest("system: Input should be a valid list");
        }

        var i = 0;
        foreach (var block in element.EnumerateArray())
        {
            if (!IsType(block, "text"u8))
            {
                return AnthropicError.InvalidRequest($"system.{i}.type: Input should be 'text'");
            }

            if (TextOf(block) is not { Length: > 0 })
            {
                return AnthropicError.InvalidRequest("system: text content blocks must be non-empty");
            }

            i++;
        }

        return null;
    }

    private static AnthropicError? ValidateRange(string name, double? value) => value switch
    {
        < 0 => AnthropicError.InvalidRequest($"{name}: Input should be greater than or equal to 0"),
        > 1 => AnthropicError.InvalidRequest($"{name}: Input should be less than or equal to 1"),
        _ => null,
    };

    private static AnthropicError? ValidateTools(JsonElement? tools)
    {
        if (tools is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return AnthropicError.InvalidRequest("tools: Input should be a valid list");
        }

        var i = 0;
        foreach (var tool in element.EnumerateArray())
        {
            if (NameOf(tool) is null)
            {
                return AnthropicError.InvalidRequest($"tools.{i}.name: Field required");
            }

            i++;
        }

        return null;
    }

    private static AnthropicError? ValidateToolChoice(JsonElement? toolChoice)
    {
        if (toolChoice is not { } choice || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (choice.ValueKind != JsonValueKind.Object || !choice.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            return AnthropicError.InvalidRequest("tool_choice: Unable to extract tag using discriminator 'type'");
        }

        if (!ToolChoiceTypes.Contains(type.GetString(), StringComparer.Ordinal))
        {
            return AnthropicError.InvalidRequest(
                $"tool_choice: Input tag '{type.GetString()}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
        }

        return IsType(choice, "tool"u8) && NameOf(choice) is null ? AnthropicError.InvalidRequest("tool_choice.name: Field required") : null;
    }

    private static AnthropicError? ValidateMessages(MessagesRequest request)
    {
        var messages = request.Messages!;
        var usesTools = false;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not { } message)
            {
                return AnthropicError.InvalidRequest($"messages.{i}: Input should be a valid dictionary");
            }

            if (message.Role is not ("user" or "assistant"))
            {
                return AnthropicError.InvalidRequest($"messages.{i}.role: Input should be 'user' or 'assistant'");
            }

            if (message.Content is not { ValueKind: not JsonValueKind.Null } content)
            {
                return AnthropicError.InvalidRequest($"messages.{i}.content: Field required");
            }

            if (content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                return AnthropicError.InvalidRequest($"messages.{i}.content: Input should be a valid list");
            }

            var isFinalAssistant = i == messages.Count - 1 && message.Role == "assistant";
            var empty = content.ValueKind == JsonValueKind.String ? content.GetString()!.Length == 0 : content.GetArrayLength() == 0;
            if (empty && !isFinalAssistant)
            {
                return AnthropicError.InvalidRequest($"messages.{i}: all messages must have non-empty content except for the optional final assistant message");
            }

            if (ValidateBlocks(messages, i, content, ref usesTools) is { } error)
            {
                return error;
            }

            if (isFinalAssistant && !empty && LastText(content) is { } prefill && prefill.Length > 0 && char.IsWhiteSpace(prefill[^1]))
            {
                return AnthropicError.InvalidRequest("messages: final assistant content cannot end with trailing whitespace");
            }
        }

        var hasTools = request.Tools is { ValueKind: JsonValueKind.Array } tools && tools.GetArrayLength() > 0;
        return usesTools && !hasTools
            ? AnthropicError.InvalidRequest("Requests which include `tool_use` or `tool_result` blocks must define tools.")
            : null;
    }

    /// <summary>Block shapes, non-empty text, and tool_use / tool_result pairing between adjacent turns.</summary>
    private static AnthropicError? ValidateBlocks(IReadOnlyList<AnthropicMessage?> messages, int i, JsonElement content, ref bool usesTools)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var previousToolUses = i > 0 && messages[i - 1] is { Role: "assistant" } previous ? ToolUseIds(previous.Content) : [];
        var j = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
            {
                return AnthropicError.InvalidRequest($"messages.{i}.content.{j}: Unable to extract tag using discriminator 'type'");
            }

            if (IsType(block, "text"u8) && TextOf(block) is not { Length: > 0 })
            {
                return AnthropicError.InvalidRequest("messages: text content blocks must be non-empty");
            }

            if (IsType(block, "tool_use"u8))
            {
                usesTools = true;
            }

            if (IsType(block, "tool_result"u8))
            {
                usesTools = true;
                var id = block.TryGetProperty("tool_use_id"u8, out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : string.Empty;
                if (!previousToolUses.Contains(id))
                {
                    return AnthropicError.InvalidRequest(
                        $"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                }
            }

            j++;
        }

        var toolUses = messages[i]!.Role == "assistant" ? ToolUseIds(content) : [];
        if (toolUses.Count > 0 && i + 1 < messages.Count)
        {
            var answered = ToolResultIds(messages[i + 1]?.Content);
            var missing = toolUses.Where(id => !answered.Contains(id)).ToArray();
            if (missing.Length > 0)
            {
                return AnthropicError.InvalidRequest(
                    $"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", missing)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
            }
        }

        return null;
    }

    private static HashSet<string> ToolUseIds(JsonElement? content) => BlockIds(content, "tool_use"u8, "id"u8);

    private static HashSet<string> ToolResultIds(JsonElement? content) => BlockIds(content, "tool_result"u8, "tool_use_id"u8);

    private static HashSet<string> BlockIds(JsonElement? content, ReadOnlySpan<byte> type, ReadOnlySpan<byte> idProperty)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (content is { ValueKind: JsonValueKind.Array } blocks)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                if (IsType(block, type) && block.TryGetProperty(idProperty, out var id) && id.ValueKind == JsonValueKind.String)
                {
                    ids.Add(id.GetString()!);
                }
            }
        }

        return ids;
    }

    private static bool HasBlock(JsonElement? content, ReadOnlySpan<byte> type)
    {
        if (content is { ValueKind: JsonValueKind.Array } blocks)
        {
            foreach (var block in blocks.EnumerateArray())
            {
                if (IsType(block, type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string? LastText(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        string? last = null;
        foreach (var block in content.EnumerateArray())
        {
            last = TextOf(block) ?? last;
        }

        return last;
    }

    private static bool IsType(JsonElement element, ReadOnlySpan<byte> type) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("type"u8, out var value)
        && value.ValueKind == JsonValueKind.String
        && value.ValueEquals(type);

    private static string? TextOf(JsonElement block) =>
        IsType(block, "text"u8) && block.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;

    private static string? NameOf(JsonElement toolOrChoice) =>
        toolOrChoice.ValueKind == JsonValueKind.Object
        && toolOrChoice.TryGetProperty("name"u8, out var name)
        && name.ValueKind == JsonValueKind.String
        && name.GetString() is { Length: > 0 } text
            ? text
            : null;
}

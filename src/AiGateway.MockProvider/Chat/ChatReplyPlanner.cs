using System.Text.Json;
using AiGateway.MockProvider.Json;
using AiGateway.MockProvider.Tokens;

namespace AiGateway.MockProvider.Chat;

/// <summary>
/// Validates a chat request and decides the deterministic reply:
/// <list type="bullet">
/// <item>Text: the response template with <c>{last_user_message}</c> (truncated to 200 chars) and <c>{model}</c>.</item>
/// <item><c>max_completion_tokens</c> (else <c>max_tokens</c>) truncates the text to 4 chars per token; finish_reason <c>length</c>.</item>
/// <item>A tool call when <c>tools</c> is non-empty, the last message is a user message, <c>tool_choice</c> is not
/// <c>none</c>, and either the message contains "weather" (any case) or <c>tool_choice</c> is <c>required</c> / a named function.</item>
/// </list>
/// </summary>
internal static class ChatReplyPlanner
{
    /// <summary>The last user message is echoed up to this many characters.</summary>
    public const int EchoLimit = 200;

    /// <summary>A user message containing this word triggers a tool call when tools are offered.</summary>
    public const string ToolTriggerWord = "weather";

    /// <summary>Location argument used when the message names none.</summary>
    public const string DefaultLocation = "San Francisco";

    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    /// <summary>The first problem with <paramref name="request"/>, or <see langword="null"/> when it is valid.</summary>
    public static OpenAiError? Validate(ChatCompletionRequest request, MockProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(request.Model))
        {
            return OpenAiError.MissingModel();
        }

        if (request.Messages is null)
        {
            return OpenAiError.MissingParameter("messages");
        }

        if (request.Messages.Count == 0)
        {
            return OpenAiError.InvalidValue("messages", "empty array. Expected an array with minimum length 1, but got an empty array instead.");
        }

        for (var i = 0; i < request.Messages.Count; i++)
        {
            var role = request.Messages[i]?.Role;
            if (role is null)
            {
                return OpenAiError.MissingParameter($"messages[{i}].role");
            }

            if (!Roles.Contains(role, StringComparer.Ordinal))
            {
                return OpenAiError.InvalidValue($"messages[{i}].role", $"'{role}'. Supported values are: {string.Join(", ", Roles)}.");
            }
        }

        if (request.MaxCompletionTokens is < 1)
        {
            return OpenAiError.InvalidValue("max_completion_tokens", $"integer below minimum value. Expected a value >= 1, but got {request.MaxCompletionTokens} instead.");
        }

        if (request.MaxTokens is < 1)
        {
            return OpenAiError.InvalidValue("max_tokens", $"integer below minimum value. Expected a value >= 1, but got {request.MaxTokens} instead.");
        }

        if (request.Tools is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Null) })
        {
            return OpenAiError.InvalidValue("tools", "expected an array of tools.");
        }

        if (options.RejectUnknownModels && !options.Models.Contains(request.Model, StringComparer.Ordinal))
        {
            return OpenAiError.ModelNotFound(request.Model);
        }

        return null;
    }

    /// <summary>The reply to a request that passed <see cref="Validate"/>.</summary>
    public static ChatReply Plan(ChatCompletionRequest request, string template, long number)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(template);
        var messages = request.Messages ?? [];
        long contentChars = 0;
        string? lastUserText = null;
        foreach (var message in messages)
        {
            var text = ChatText.Extract(message.Content);
            contentChars += text.Length;
            if (message.Role == "user")
            {
                lastUserText = text;
            }
        }

        var promptTokens = TokenEstimator.ForPrompt(contentChars, messages.Count);
        var lastIsUser = messages.Count > 0 && messages[^1].Role == "user";
        if (lastIsUser && TryPlanToolCall(request, lastUserText ?? string.Empty, number) is { } toolCall)
        {
            var toolTokens = TokenEstimator.ForText(toolCall.Name.Length + toolCall.Arguments.Length);
            return new ChatReply(null, toolCall, "tool_calls", promptTokens, toolTokens);
        }

        var reply = template
            .Replace(MockProviderOptions.LastUserMessagePlaceholder, ChatText.Truncate(lastUserText ?? string.Empty, EchoLimit), StringComparison.Ordinal)
            .Replace(MockProviderOptions.ModelPlaceholder, request.Model, StringComparison.Ordinal);
        var finishReason = "stop";
        var limit = request.MaxCompletionTokens ?? request.MaxTokens;
        if (limit is { } maxTokens && TokenEstimator.ForText(reply.Length) > maxTokens)
        {
            reply = ChatText.Truncate(reply, maxTokens * TokenEstimator.CharsPerToken);
            finishReason = "length";
        }

        return new ChatReply(reply, null, finishReason, promptTokens, TokenEstimator.ForText(reply.Length));
    }

    private static ToolCallReply? TryPlanToolCall(ChatCompletionRequest request, string userText, long number)
    {
        if (request.Tools is not { ValueKind: JsonValueKind.Array } tools || tools.GetArrayLength() == 0)
        {
            return null;
        }

        string? forcedName = null;
        var forced = false;
        if (request.ToolChoice is { } choice)
        {
            if (choice.ValueKind == JsonValueKind.String)
            {
                if (choice.ValueEquals("none"u8))
                {
                    return null;
                }

                forced = choice.ValueEquals("required"u8);
            }
            else if (choice.ValueKind == JsonValueKind.Object)
            {
                forcedName = FunctionName(choice);
                forced = forcedName is not null;
            }
        }

        if (!forced && !userText.Contains(ToolTriggerWord, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = forcedName ?? PickTool(tools);
        if (name is null)
        {
            return null;
        }

        var arguments = JsonBodies.Serialize(ExtractLocation(userText), static (w, location) =>
        {
            w.WriteStartObject();
            w.WriteString("location"u8, location);
            w.WriteEndObject();
        });
        return new ToolCallReply($"call_mock_{number}", name, System.Text.Encoding.UTF8.GetString(arguments));
    }

    /// <summary>The first tool whose name contains "weather", else the first tool with a name.</summary>
    private static string? PickTool(JsonElement tools)
    {
        string? first = null;
        foreach (var tool in tools.EnumerateArray())
        {
            var name = tool.ValueKind == JsonValueKind.Object ? FunctionName(tool) : null;
            if (name is null)
            {
                continue;
            }

            if (name.Contains(ToolTriggerWord, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }

            first ??= name;
        }

        return first;
    }

    private static string? FunctionName(JsonElement toolOrChoice) =>
        toolOrChoice.TryGetProperty("function"u8, out var function)
        && function.ValueKind == JsonValueKind.Object
        && function.TryGetProperty("name"u8, out var name)
        && name.ValueKind == JsonValueKind.String
        && name.GetString() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>The capitalised words after the last " in " ("weather in New York?" gives "New York"), else the default.</summary>
    internal static string ExtractLocation(string text)
    {
        var at = text.LastIndexOf(" in ", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return DefaultLocation;
        }

        var words = text[(at + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var taken = new List<string>();
        foreach (var word in words)
        {
            var trimmed = word.TrimEnd('?', '.', '!', ',', ';', ':');
            if (trimmed.Length == 0 || !char.IsUpper(trimmed[0]) || taken.Count == 5)
            {
                break;
            }

            taken.Add(trimmed);
            if (trimmed.Length != word.Length)
            {
                break;
            }
        }

        return taken.Count == 0 ? DefaultLocation : string.Join(' ', taken);
    }
}

using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Json;
using AiGateway.MockProvider.Tokens;

namespace AiGateway.MockProvider.Gemini;

/// <summary>
/// Validates a Gemini generateContent request like the real API and decides the deterministic reply, with
/// the same rules as <see cref="ChatReplyPlanner"/> so a translated chat request gets the same answer:
/// <list type="bullet">
/// <item>Text: the response template with <c>{last_user_message}</c> (the text parts of the last user turn that has
/// text, joined with <c>\n</c>, cut to 200 chars) and <c>{model}</c>.</item>
/// <item>The earliest <c>stopSequences</c> match cuts the text (finish <c>STOP</c>); then <c>maxOutputTokens</c> cuts
/// it to 4 chars per token (<c>MAX_TOKENS</c>).</item>
/// <item>A function call (and no text) when <c>functionDeclarations</c> exist, the last turn is a user turn without
/// <c>functionResponse</c> parts, the mode is not <c>NONE</c>, and the turn mentions "weather" or the mode is
/// <c>ANY</c> (the first of <c>allowedFunctionNames</c> when given).</item>
/// <item>Tokens: prompt = ceil(C / 4) + 3 × (contents + system parts), C counting the characters of every text
/// part, system text and function response; candidates = ceil(text length / 4), or of name + arguments for a call.</item>
/// </list>
/// </summary>
internal static class GeminiReplyPlanner
{
    private static readonly string[] PartKinds = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"];

    /// <summary>The first problem with the request, or <see langword="null"/> when it is valid.</summary>
    public static GeminiError? Validate(JsonElement root, string model, MockProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (root.ValueKind != JsonValueKind.Object)
        {
            return GeminiError.InvalidJson();
        }

        if (!root.TryGetProperty("contents"u8, out var contents) || contents.ValueKind != JsonValueKind.Array || contents.GetArrayLength() == 0)
        {
            return GeminiError.InvalidArgument("* GenerateContentRequest.contents: contents is not specified");
        }

        var previousCalls = 0;
        var i = 0;
        foreach (var content in contents.EnumerateArray())
        {
            var role = content.ValueKind == JsonValueKind.Object && content.TryGetProperty("role"u8, out var r) ? r.GetString() : null;
            if (role is not ("user" or "model"))
            {
                return GeminiError.InvalidArgument($"Please use a valid role: user, model. (contents[{i}].role)");
            }

            if (!content.TryGetProperty("parts"u8, out var parts) || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0)
            {
                return GeminiError.InvalidArgument($"* GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty.");
            }

            var calls = 0;
            var responses = 0;
            foreach (var part in parts.EnumerateArray())
            {
                if (ValidatePart(part, i) is { } partError)
                {
                    return partError;
                }

                calls += part.TryGetProperty("functionCall"u8, out _) ? 1 : 0;
                responses += part.TryGetProperty("functionResponse"u8, out _) ? 1 : 0;
            }

            if (responses > 0 && responses != previousCalls)
            {
                return GeminiError.InvalidArgument("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
            }

            previousCalls = role == "model" ? calls : 0;
            i++;
        }

        if ((ValidateSystem(root) ?? ValidateTools(root) ?? ValidateGenerationConfig(root)) is { } error)
        {
            return error;
        }

        return options.RejectUnknownModels && !options.Models.Contains(model, StringComparer.Ordinal) ? GeminiError.ModelNotFound(model) : null;
    }

    /// <summary>The reply to a request that passed <see cref="Validate"/>.</summary>
    public static GeminiReply Plan(JsonElement root, string model, string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var contents = root.GetProperty("contents"u8);
        var promptTokens = CountPromptTokens(root);
        var candidateCount = Config(root, "candidateCount"u8) is { ValueKind: JsonValueKind.Number } count ? count.GetInt32() : 1;
        string? lastUserText = null;
        JsonElement last = default;
        foreach (var content in contents.EnumerateArray())
        {
            last = content;
            if (content.GetProperty("role"u8).ValueEquals("user"u8) && TextOf(content) is { Length: > 0 } text)
            {
                lastUserText = text;
            }
        }

        if (last.GetProperty("role"u8).ValueEquals("user"u8) && !HasPart(last, "functionResponse"u8) && PlanCall(root, TextOf(last)) is { } call)
        {
            return new GeminiReply(string.Empty, call.Name, call.Args, "STOP", candidateCount, promptTokens, TokenEstimator.ForText(call.Name.Length + call.Args.Length));
        }

        var reply = template
            .Replace(MockProviderOptions.LastUserMessagePlaceholder, ChatText.Truncate(lastUserText ?? string.Empty, ChatReplyPlanner.EchoLimit), StringComparison.Ordinal)
            .Replace(MockProviderOptions.ModelPlaceholder, model, StringComparison.Ordinal);
        var finish = "STOP";
        if (Config(root, "stopSequences"u8) is { ValueKind: JsonValueKind.Array } stops)
        {
            var cut = -1;
            foreach (var stop in stops.EnumerateArray())
            {
                var at = stop.GetString() is { Length: > 0 } sequence ? reply.IndexOf(sequence, StringComparison.Ordinal) : -1;
                if (at >= 0 && (cut < 0 || at < cut))
                {
                    cut = at;
                }
            }

            if (cut >= 0)
            {
                reply = reply[..cut];
            }
        }

        if (Config(root, "maxOutputTokens"u8) is { ValueKind: JsonValueKind.Number } max && TokenEstimator.ForText(reply.Length) > max.GetInt32())
        {
            reply = ChatText.Truncate(reply, max.GetInt32() * TokenEstimator.CharsPerToken);
            finish = "MAX_TOKENS";
        }

        return new GeminiReply(reply, null, null, finish, candidateCount, promptTokens, TokenEstimator.ForText(reply.Length));
    }

    private static (string Name, string Args)? PlanCall(JsonElement root, string userText)
    {
        var names = new List<string>();
        if (root.TryGetProperty("tools"u8, out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.TryGetProperty("functionDeclarations"u8, out var declarations) && declarations.ValueKind == JsonValueKind.Array)
                {
                    names.AddRange(declarations.EnumerateArray().Select(static d => d.GetProperty("name"u8).GetString()!));
                }
            }
        }

        if (names.Count == 0)
        {
            return null;
        }

        var mode = "AUTO";
        string? forced = null;
        if (root.TryGetProperty("toolConfig"u8, out var toolConfig) && toolConfig.TryGetProperty("functionCallingConfig"u8, out var calling))
        {
            mode = calling.TryGetProperty("mode"u8, out var m) ? m.GetString() ?? "AUTO" : "AUTO";
            forced = calling.TryGetProperty("allowedFunctionNames"u8, out var allowed) && allowed.ValueKind == JsonValueKind.Array && allowed.GetArrayLength() > 0
                ? allowed[0].GetString()
                : null;
        }

        if (mode == "NONE" || (mode != "ANY" && !userText.Contains(ChatReplyPlanner.ToolTriggerWord, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var name = forced
            ?? names.FirstOrDefault(static n => n.Contains(ChatReplyPlanner.ToolTriggerWord, StringComparison.OrdinalIgnoreCase))
            ?? names[0];
        var args = JsonBodies.Serialize(ChatReplyPlanner.ExtractLocation(userText), static (w, location) =>
        {
            w.WriteStartObject();
            w.WriteString("location"u8, location);
            w.WriteEndObject();
        });
        return (name, Encoding.UTF8.GetString(args));
    }

    private static GeminiError? ValidatePart(JsonElement part, int content)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            return GeminiError.InvalidArgument($"Invalid value at 'contents[{content}].parts': a part must be an object.");
        }

        var kinds = PartKinds.Count(kind => part.TryGetProperty(kind, out _));
        if (kinds != 1)
        {
            return GeminiError.InvalidArgument($"* GenerateContentRequest.contents[{content}].parts: a part must hold exactly one of text, inlineData, fileData, functionCall, functionResponse.");
        }

        if (part.TryGetProperty("inlineData"u8, out var inline) && (!HasString(inline, "mimeType"u8) || !HasString(inline, "data"u8)))
        {
            return GeminiError.InvalidArgument($"* GenerateContentRequest.contents[{content}].parts.inline_data: mime_type and data are required.");
        }

        if (part.TryGetProperty("fileData"u8, out var file) && (!HasString(file, "mimeType"u8) || !HasString(file, "fileUri"u8)))
        {
            return GeminiError.InvalidArgument($"* GenerateContentRequest.contents[{content}].parts.file_data: mime_type and file_uri are required.");
        }

        if (part.TryGetProperty("functionCall"u8, out var call) && (!HasString(call, "name"u8) || (call.TryGetProperty("args"u8, out var args) && args.ValueKind != JsonValueKind.Object)))
        {
            return GeminiError.InvalidArgument($"* GenerateContentRequest.contents[{content}].parts.function_call: name is required and args must be an object.");
        }

        if (part.TryGetProperty("functionResponse"u8, out var response)
            && (!HasString(response, "name"u8) || !response.TryGetProperty("response"u8, out var value) || value.ValueKind != JsonValueKind.Object))
        {
            return GeminiError.InvalidArgument($"* GenerateContentRequest.contents[{content}].parts.function_response: name and a response object are required.");
        }

        return null;
    }

    private static GeminiError? ValidateSystem(JsonElement root)
    {
        if (!root.TryGetProperty("systemInstruction"u8, out var system))
        {
            return null;
        }

        return system.ValueKind == JsonValueKind.Object && system.TryGetProperty("parts"u8, out var parts) && parts.ValueKind == JsonValueKind.Array
            && parts.EnumerateArray().All(static p => HasString(p, "text"u8))
            ? null
            : GeminiError.InvalidArgument("* GenerateContentRequest.system_instruction: parts must be text parts.");
    }

    private static GeminiError? ValidateTools(JsonElement root)
    {
        if (root.TryGetProperty("tools"u8, out var tools))
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                return GeminiError.InvalidArgument("Invalid value at 'tools': expected a list.");
            }

            foreach (var tool in tools.EnumerateArray())
            {
                if (!tool.TryGetProperty("functionDeclarations"u8, out var declarations) || declarations.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var declaration in declarations.EnumerateArray())
                {
                    if (!HasString(declaration, "name"u8))
                    {
                        return GeminiError.InvalidArgument("* GenerateContentRequest.tools[0].function_declarations: name is required.");
                    }

                    if (declaration.TryGetProperty("parameters"u8, out _) && declaration.TryGetProperty("parametersJsonSchema"u8, out _))
                    {
                        return GeminiError.InvalidArgument("* GenerateContentRequest.tools[0].function_declarations: parameters and parameters_json_schema are mutually exclusive.");
                    }
                }
            }
        }

        if (root.TryGetProperty("toolConfig"u8, out var toolConfig) && toolConfig.TryGetProperty("functionCallingConfig"u8, out var calling)
            && calling.TryGetProperty("mode"u8, out var mode) && mode.GetString() is not ("AUTO" or "ANY" or "NONE" or "VALIDATED"))
        {
            return GeminiError.InvalidArgument($"Invalid value at 'tool_config.function_calling_config.mode' ({mode})");
        }

        return null;
    }

    private static GeminiError? ValidateGenerationConfig(JsonElement root)
    {
        static GeminiError? Range(JsonElement? value, string name, double min, double max) =>
            value is { ValueKind: JsonValueKind.Number } number && (number.GetDouble() < min || number.GetDouble() > max)
                ? GeminiError.InvalidArgument($"* GenerateContentRequest.generation_config.{name}: must be in [{min}, {max}].")
                : null;

        return Range(Config(root, "temperature"u8), "temperature", 0, 2)
            ?? Range(Config(root, "topP"u8), "top_p", 0, 1)
            ?? Range(Config(root, "candidateCount"u8), "candidate_count", 1, 8)
            ?? Range(Config(root, "maxOutputTokens"u8), "max_output_tokens", 1, 1_000_000);
    }

    private static int CountPromptTokens(JsonElement root)
    {
        long chars = 0;
        var turns = 0;
        if (root.TryGetProperty("systemInstruction"u8, out var system) && system.TryGetProperty("parts"u8, out var systemParts))
        {
            foreach (var part in systemParts.EnumerateArray())
            {
                chars += part.GetProperty("text"u8).GetString()!.Length;
                turns++;
            }
        }

        foreach (var content in root.GetProperty("contents"u8).EnumerateArray())
        {
            turns++;
            foreach (var part in content.GetProperty("parts"u8).EnumerateArray())
            {
                if (part.TryGetProperty("text"u8, out var text))
                {
                    chars += text.GetString()?.Length ?? 0;
                }
                else if (part.TryGetProperty("functionResponse"u8, out var response))
                {
                    chars += response.GetProperty("response"u8).GetRawText().Length;
                }
            }
        }

        return TokenEstimator.ForPrompt(chars, turns);
    }

    private static JsonElement? Config(JsonElement root, ReadOnlySpan<byte> name) =>
        root.TryGetProperty("generationConfig"u8, out var config) && config.ValueKind == JsonValueKind.Object && config.TryGetProperty(name, out var value)
            ? value
            : null;

    private static string TextOf(JsonElement content)
    {
        var builder = new StringBuilder();
        foreach (var part in content.GetProperty("parts"u8).EnumerateArray())
        {
            if (part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String && !(part.TryGetProperty("thought"u8, out var thought) && thought.ValueKind == JsonValueKind.True))
            {
                builder.Append(builder.Length > 0 ? "\n" : string.Empty).Append(text.GetString());
            }
        }

        return builder.ToString();
    }

    private static bool HasPart(JsonElement content, ReadOnlySpan<byte> kind)
    {
        foreach (var part in content.GetProperty("parts"u8).EnumerateArray())
        {
            if (part.TryGetProperty(kind, out _))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasString(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String;
}

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Gemini;

/// <summary>
/// Writes a Gemini <c>generateContent</c> request (AI Studio and Vertex AI share the body) from an OpenAI chat
/// request (provider-apis.md §5.2, §5.6): system and developer messages to <c>systemInstruction</c>, roles
/// <c>user</c>/<c>model</c> with consecutive turns of one role merged (tool results travel in one user turn),
/// images, audio and files to <c>inlineData</c>/<c>fileData</c>, tool calls to <c>functionCall</c> parts, tool
/// messages to <c>functionResponse</c> parts named after the earlier call, tools to one
/// <c>functionDeclarations</c> list, and the sampling parameters to <c>generationConfig</c>. A parameter
/// Gemini cannot honour is a client error. Function and response schemas go out as full JSON Schema
/// (<c>parametersJsonSchema</c>, <c>responseJsonSchema</c>, Gemini 2.5 and later) instead of being cut down to
/// Google's OpenAPI subset, which rejects keywords such as <c>additionalProperties</c> and <c>$ref</c>.
/// </summary>
public static class GeminiRequestWriter
{
    /// <summary>
    /// The thought signature Google documents for clients that cannot echo the real one: Gemini 3 rejects a
    /// model turn with function calls whose first call carries no signature (provider-apis.md §5.2).
    /// </summary>
    public const string SkipThoughtSignature = "skip_thought_signature_validator";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the Gemini body; returns a client error instead when the request cannot be expressed.</summary>
    /// <param name="openAiBody">The client's chat request.</param>
    /// <param name="model">The model the request goes to (picks the thinking setting's shape).</param>
    /// <param name="output">Receives the Gemini body.</param>
    public static ClientError? Write(ReadOnlyMemory<byte> openAiBody, string model, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var document = JsonDocument.Parse(openAiBody);
        var root = document.RootElement;
        if (Unsupported(root) is { } unsupported)
        {
            return unsupported;
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return new ClientError(400, "'messages' must be an array of messages.", "invalid_request_error", "messages", "invalid_type");
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        if (WriteContents(writer, messages) is { } contentError)
        {
            return contentError;
        }

        if (WriteSystemInstruction(writer, messages) is { } systemError)
        {
            return systemError;
        }

        if (WriteTools(writer, root) is { } toolError)
        {
            return toolError;
        }

        if (WriteGenerationConfig(writer, root, model) is { } configError)
        {
            return configError;
        }

        writer.WriteEndObject();
        return null;
    }

    private static ClientError Reject(string param, string why) =>
        new(400, $"'{param}' is not supported by this provider (Gemini): {why}.", "invalid_request_error", param, "unsupported_parameter");

    private static ClientError Invalid(string param, string message) =>
        new(400, message, "invalid_request_error", param, "invalid_value");

    private static ClientError? Unsupported(JsonElement root)
    {
        if (root.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
        {
            return Reject("logprobs", "log probabilities are not translated");
        }

        if (root.TryGetProperty("top_logprobs", out var topLogprobs) && topLogprobs.ValueKind == JsonValueKind.Number)
        {
            return Reject("top_logprobs", "log probabilities are not translated");
        }

        if (root.TryGetProperty("logit_bias", out var bias) && bias.ValueKind == JsonValueKind.Object && bias.EnumerateObject().Any())
        {
            return Reject("logit_bias", "it has no logit bias");
        }

        if (root.TryGetProperty("modalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array
            && modalities.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() != "text"))
        {
            return Reject("modalities", "only text output is translated");
        }

        foreach (var name in (string[])["audio", "prediction", "web_search_options", "functions", "function_call"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return Reject(name, name is "functions" or "function_call" ? "use tools and tool_choice" : "it has no equivalent");
            }
        }

        if (root.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind == JsonValueKind.False)
        {
            return Reject("parallel_tool_calls", "it cannot be told to call at most one function");
        }

        return null;
    }

    private static ClientError? WriteSystemInstruction(Utf8JsonWriter writer, JsonElement messages)
    {
        var wrote = false;
        foreach (var message in messages.EnumerateArray())
        {
            if (Role(message) is not ("system" or "developer"))
            {
                continue;
            }

            var text = OpenAiMessageText.TextOf(message);
            if (text is null)
            {
                return new ClientError(400, "System and developer messages must contain text.", "invalid_request_error", "messages", "invalid_content");
            }

            if (text.Length == 0)
            {
                continue;
            }

            if (!wrote)
            {
                writer.WriteStartObject("systemInstruction"u8);
                writer.WriteStartArray("parts"u8);
                wrote = true;
            }

            writer.WriteStartObject();
            writer.WriteString("text"u8, text);
            writer.WriteEndObject();
        }

        if (wrote)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return null;
    }

    private static ClientError? WriteContents(Utf8JsonWriter writer, JsonElement messages)
    {
        writer.WriteStartArray("contents"u8);
        Dictionary<string, string>? callNames = null;
        string? openRole = null;
        var signed = false;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var i = index++;
            var role = Role(message);
            var geminiRole = role switch
            {
                "user" or "tool" => "user",
                "assistant" => "model",
                "system" or "developer" => null,
                _ => "?",
            };
            if (geminiRole is null)
            {
                continue;
            }

            if (geminiRole == "?")
            {
                return Invalid($"messages[{i}].role", $"messages[{i}].role '{role}' is not a known role.");
            }

            if (!HasParts(message, role!))
            {
                continue; // Gemini rejects contents without parts; empty turns carry nothing.
            }

            // Consecutive turns of one role become one content: Gemini pairs a model turn's function calls with
            // the function responses of the next user turn, so tool results must not be split.
            if (openRole != geminiRole)
            {
                if (openRole is not null)
                {
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteStartObject();
                writer.WriteString("role"u8, geminiRole);
                writer.WriteStartArray("parts"u8);
                openRole = geminiRole;
                signed = false;
            }

            var error = role switch
            {
                "tool" => WriteToolResult(writer, message, callNames, i),
                "assistant" => WriteAssistantParts(writer, message, ref callNames, ref signed, i),
                _ => WriteUserParts(writer, message, i),
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (openRole is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return null;
    }

    /// <summary>True when the message would produce at least one part.</summary>
    private static bool HasParts(JsonElement message, string role)
    {
        if (role == "tool")
        {
            return true;
        }

        if (role == "assistant" && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0)
        {
            return true;
        }

        if (!message.TryGetProperty("content", out var content))
        {
            return false;
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!.Length > 0,
            JsonValueKind.Array => content.EnumerateArray().Any(part =>
                part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("type", out var type)
                || type.GetString() is not ("text" or "refusal")
                || part.TryGetProperty(type.GetString()!, out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0),
            _ => false,
        };
    }

    private static ClientError? WriteUserParts(Utf8JsonWriter writer, JsonElement message, int index)
    {
        var content = message.GetProperty("content");
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteText(writer, content.GetString());
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return Invalid($"messages[{index}].content", $"messages[{index}].content must be a string or an array of content parts.");
        }

        foreach (var part in content.EnumerateArray())
        {
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) ? t.GetString() : null;
            var error = type switch
            {
                "text" => WriteTextPart(writer, part),
                "image_url" => WriteImage(writer, part, index),
                "input_audio" => WriteAudio(writer, part, index),
                "file" => WriteFile(writer, part, index),
                _ => new ClientError(400, $"messages[{index}] has a '{type}' content part, which this provider (Gemini) cannot take.", "invalid_request_error", $"messages[{index}].content", "unsupported_content"),
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ClientError? WriteAssistantParts(Utf8JsonWriter writer, JsonElement message, ref Dictionary<string, string>? callNames, ref bool signed, int index)
    {
        if (message.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                WriteText(writer, content.GetString());
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) ? t.GetString() : null;
                    if (type is not ("text" or "refusal"))
                    {
                        return new ClientError(400, $"messages[{index}] has a '{type}' content part; assistant messages may only hold text.", "invalid_request_error", $"messages[{index}].content", "unsupported_content");
                    }

                    WriteText(writer, part.TryGetProperty(type, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null);
                }
            }
        }

        if (!message.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var call in calls.EnumerateArray())
        {
            if (!call.TryGetProperty("function", out var function) || !function.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            {
                return Invalid($"messages[{index}].tool_calls", $"messages[{index}].tool_calls: each call needs function.name.");
            }

            var name = nameElement.GetString()!;
            if (call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                (callNames ??= new(StringComparer.Ordinal))[id.GetString()!] = name;
            }

            writer.WriteStartObject();
            writer.WriteStartObject("functionCall"u8);
            writer.WriteString("name"u8, name);
            writer.WritePropertyName("args"u8);
            var arguments = function.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (!TryWriteArguments(writer, arguments))
            {
                return new ClientError(400, $"messages[{index}].tool_calls: arguments must be a JSON object.", "invalid_request_error", $"messages[{index}].tool_calls", "invalid_tool_arguments");
            }

            writer.WriteEndObject();
            if (!signed)
            {
                writer.WriteString("thoughtSignature"u8, SkipThoughtSignature);
                signed = true;
            }

            writer.WriteEndObject();
        }

        return null;
    }

    private static ClientError? WriteToolResult(Utf8JsonWriter writer, JsonElement message, Dictionary<string, string>? callNames, int index)
    {
        var id = message.TryGetProperty("tool_call_id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : null;
        if (id is null || callNames is null || !callNames.TryGetValue(id, out var name))
        {
            return Invalid(
                $"messages[{index}].tool_call_id",
                $"messages[{index}].tool_call_id '{id}' does not match a tool call of an earlier assistant message; Gemini needs the function's name.");
        }

        var text = OpenAiMessageText.TextOf(message);
        if (text is null)
        {
            return new ClientError(400, $"messages[{index}]: tool messages must contain text.", "invalid_request_error", $"messages[{index}].content", "invalid_content");
        }

        writer.WriteStartObject();
        writer.WriteStartObject("functionResponse"u8);
        writer.WriteString("name"u8, name);
        writer.WriteStartObject("response"u8);
        writer.WriteString("output"u8, text);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteTextPart(Utf8JsonWriter writer, JsonElement part)
    {
        WriteText(writer, part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null);
        return null;
    }

    private static void WriteText(Utf8JsonWriter writer, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    private static ClientError? WriteImage(Utf8JsonWriter writer, JsonElement part, int index)
    {
        var url = part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object
            && image.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (string.IsNullOrEmpty(url))
        {
            return new ClientError(400, $"messages[{index}]: image_url needs a url.", "invalid_request_error", $"messages[{index}].content", "invalid_image");
        }

        if (url.StartsWith("data:", StringComparison.Ordinal))
        {
            return WriteDataUrl(writer, url, index, "image_url");
        }

        if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            && !url.StartsWith("gs://", StringComparison.Ordinal))
        {
            return new ClientError(400, $"messages[{index}]: image URLs must be data:, http(s):// or gs:// URLs.", "invalid_request_error", $"messages[{index}].content", "invalid_image");
        }

        // Gemini needs a MIME type with every file URI; an image URL without a known extension is sent as JPEG.
        writer.WriteStartObject();
        writer.WriteStartObject("fileData"u8);
        writer.WriteString("mimeType"u8, MimeTypeOf(url) ?? "image/jpeg");
        writer.WriteString("fileUri"u8, url);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteAudio(Utf8JsonWriter writer, JsonElement part, int index)
    {
        if (!part.TryGetProperty("input_audio", out var audio) || audio.ValueKind != JsonValueKind.Object
            || !audio.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String
            || !audio.TryGetProperty("format", out var format) || format.GetString() is not ({ } audioFormat and ("wav" or "mp3")))
        {
            return new ClientError(400, $"messages[{index}]: input_audio needs base64 data and a format of wav or mp3.", "invalid_request_error", $"messages[{index}].content", "invalid_audio");
        }

        writer.WriteStartObject();
        writer.WriteStartObject("inlineData"u8);
        writer.WriteString("mimeType"u8, audioFormat == "wav" ? "audio/wav" : "audio/mp3");
        writer.WritePropertyName("data"u8);
        data.WriteTo(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteFile(Utf8JsonWriter writer, JsonElement part, int index)
    {
        var data = part.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Object
            && file.TryGetProperty("file_data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (data is null || !data.StartsWith("data:", StringComparison.Ordinal))
        {
            return new ClientError(400, $"messages[{index}]: file parts need file_data as a base64 data URL; OpenAI file ids mean nothing to Gemini.", "invalid_request_error", $"messages[{index}].content", "unsupported_content");
        }

        return WriteDataUrl(writer, data, index, "file");
    }

    private static ClientError? WriteDataUrl(Utf8JsonWriter writer, string url, int index, string kind)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var header = comma > 5 ? url.AsSpan(5, comma - 5) : default;
        var mimeType = header.IndexOf(';') is var semicolon and >= 0 ? header[..semicolon] : header;
        if (!header.EndsWith(";base64", StringComparison.Ordinal) || mimeType.IsEmpty)
        {
            return new ClientError(400, $"messages[{index}]: {kind} data URLs must be base64 with a MIME type (data:<type>;base64,...).", "invalid_request_error", $"messages[{index}].content", "invalid_image");
        }

        writer.WriteStartObject();
        writer.WriteStartObject("inlineData"u8);
        writer.WriteString("mimeType"u8, mimeType);
        writer.WriteString("data"u8, url.AsSpan(comma + 1));
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    /// <summary>The MIME type of a URL's file extension, or null when the extension is not a known one.</summary>
    private static string? MimeTypeOf(string url)
    {
        var path = url.AsSpan();
        var end = path.IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }

        var dot = path.LastIndexOf('.');
        if (dot < 0 || dot < path.LastIndexOf('/'))
        {
            return null;
        }

        return path[(dot + 1)..].ToString().ToUpperInvariant() switch
        {
            "JPG" or "JPEG" => "image/jpeg",
            "PNG" => "image/png",
            "GIF" => "image/gif",
            "WEBP" => "image/webp",
            "HEIC" => "image/heic",
            "HEIF" => "image/heif",
            "PDF" => "application/pdf",
            _ => null,
        };
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

    private static ClientError? WriteTools(Utf8JsonWriter writer, JsonElement root)
    {
        var hasTools = root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        if (hasTools)
        {
            writer.WriteStartArray("tools"u8);
            writer.WriteStartObject();
            writer.WriteStartArray("functionDeclarations"u8);
            foreach (var tool in tools.EnumerateArray())
            {
                if (!tool.TryGetProperty("function", out var function) || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || (tool.TryGetProperty("type", out var toolType) && toolType.GetString() != "function"))
                {
                    return new ClientError(400, "Only function tools with a name are supported.", "invalid_request_error", "tools", "unsupported_tool");
                }

                writer.WriteStartObject();
                writer.WriteString("name"u8, name.GetString());
                if (function.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
                {
                    writer.WriteString("description"u8, description.GetString());
                }

                if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName("parametersJsonSchema"u8);
                    WriteSchema(writer, parameters);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        string mode;
        string? allowed = null;
        if (choice.ValueKind == JsonValueKind.String)
        {
            mode = choice.GetString() switch
            {
                "auto" => "AUTO",
                "required" => "ANY",
                "none" => "NONE",
                _ => string.Empty,
            };
            if (mode.Length == 0)
            {
                return Invalid("tool_choice", $"tool_choice '{choice.GetString()}' is not one of auto, required, none.");
            }
        }
        else if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var chosen)
            && chosen.TryGetProperty("name", out var chosenName) && chosenName.ValueKind == JsonValueKind.String)
        {
            mode = "ANY";
            allowed = chosenName.GetString();
        }
        else
        {
            return Reject("tool_choice", "only auto, none, required and a named function are translated");
        }

        if (!hasTools)
        {
            return mode == "NONE" ? null : Invalid("tool_choice", "tool_choice needs tools.");
        }

        writer.WriteStartObject("toolConfig"u8);
        writer.WriteStartObject("functionCallingConfig"u8);
        writer.WriteString("mode"u8, mode);
        if (allowed is not null)
        {
            writer.WriteStartArray("allowedFunctionNames"u8);
            writer.WriteStringValue(allowed);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    /// <summary>A JSON Schema as Gemini takes it: <c>$schema</c> is dropped at the top, the rest is kept.</summary>
    private static void WriteSchema(Utf8JsonWriter writer, JsonElement schema)
    {
        writer.WriteStartObject();
        foreach (var property in schema.EnumerateObject())
        {
            if (property.NameEquals("$schema"u8))
            {
                continue;
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static ClientError? WriteGenerationConfig(Utf8JsonWriter writer, JsonElement root, string model)
    {
        var started = false;
        void Begin()
        {
            if (!started)
            {
                writer.WriteStartObject("generationConfig"u8);
                started = true;
            }
        }

        if (Number(root, "temperature") is { } temperature)
        {
            if (temperature is < 0 or > 2)
            {
                return Invalid("temperature", $"temperature {temperature.ToString(CultureInfo.InvariantCulture)} is outside the range 0..2.");
            }

            Begin();
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (Number(root, "top_p") is { } topP)
        {
            if (topP is < 0 or > 1)
            {
                return Invalid("top_p", $"top_p {topP.ToString(CultureInfo.InvariantCulture)} is outside the range 0..1.");
            }

            Begin();
            writer.WriteNumber("topP"u8, topP);
        }

        foreach (var name in (string[])["max_completion_tokens", "max_tokens"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                if (!value.TryGetInt32(out var tokens) || tokens < 1)
                {
                    return Invalid(name, $"{name} must be a positive integer.");
                }

                Begin();
                writer.WriteNumber("maxOutputTokens"u8, tokens);
                break;
            }
        }

        if (root.TryGetProperty("stop", out var stop) && StopSequences(stop) is { Count: > 0 } sequences)
        {
            Begin();
            writer.WriteStartArray("stopSequences"u8);
            foreach (var sequence in sequences)
            {
                writer.WriteStringValue(sequence);
            }

            writer.WriteEndArray();
        }

        if (root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number)
        {
            if (!n.TryGetInt32(out var count) || count < 1)
            {
                return Invalid("n", "n must be a positive integer.");
            }

            if (count > 1)
            {
                Begin();
                writer.WriteNumber("candidateCount"u8, count);
            }
        }

        if (root.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number)
        {
            if (!seed.TryGetInt32(out var seedValue))
            {
                return Invalid("seed", "seed must be a 32-bit integer for this provider (Gemini).");
            }

            Begin();
            writer.WriteNumber("seed"u8, seedValue);
        }

        foreach (var (openAi, gemini) in Penalties)
        {
            if (Number(root, openAi) is { } penalty)
            {
                Begin();
                writer.WriteNumber(gemini, penalty);
            }
        }

        if (root.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object)
        {
            switch (format.TryGetProperty("type", out var type) ? type.GetString() : null)
            {
                case "text":
                    break;
                case "json_object":
                    Begin();
                    writer.WriteString("responseMimeType"u8, "application/json");
                    break;
                case "json_schema":
                    if (!format.TryGetProperty("json_schema", out var jsonSchema) || !jsonSchema.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                    {
                        return Invalid("response_format", "response_format json_schema needs json_schema.schema.");
                    }

                    Begin();
                    writer.WriteString("responseMimeType"u8, "application/json");
                    writer.WritePropertyName("responseJsonSchema"u8);
                    WriteSchema(writer, schema);
                    break;
                default:
                    return Invalid("response_format", "response_format.type must be text, json_object or json_schema.");
            }
        }

        if (root.TryGetProperty("reasoning_effort", out var effort) && effort.ValueKind == JsonValueKind.String)
        {
            var level = effort.GetString();
            int? budget = level switch
            {
                "none" or "minimal" => 0,
                "low" => 1024,
                "medium" => 8192,
                "high" => 24576,
                _ => null,
            };
            if (budget is null)
            {
                return Invalid("reasoning_effort", $"reasoning_effort '{level}' is not one of none, minimal, low, medium, high.");
            }

            Begin();
            writer.WriteStartObject("thinkingConfig"u8);
            if (model.StartsWith("gemini-3", StringComparison.Ordinal))
            {
                // Gemini 3 takes a level instead of a budget; it has no "none".
                writer.WriteString("thinkingLevel"u8, level == "none" ? "minimal" : level);
            }
            else
            {
                writer.WriteNumber("thinkingBudget"u8, budget.Value);
            }

            writer.WriteEndObject();
        }

        if (started)
        {
            writer.WriteEndObject();
        }

        return null;
    }

    private static readonly (string OpenAi, string Gemini)[] Penalties = [("presence_penalty", "presencePenalty"), ("frequency_penalty", "frequencyPenalty")];

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static List<string>? StopSequences(JsonElement stop)
    {
        List<string>? sequences = null;
        if (stop.ValueKind == JsonValueKind.String)
        {
            if (stop.GetString() is { Length: > 0 } single)
            {
                sequences = [single];
            }
        }
        else if (stop.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in stop.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } sequence)
                {
                    (sequences ??= []).Add(sequence);
                }
            }
        }

        return sequences;
    }

    private static string? Role(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var role) ? role.GetString() : null;
}

using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Watsonx;

/// <summary>
/// Writes a watsonx.ai chat request from an OpenAI chat request (provider-apis.md §6.3): <c>model</c> to
/// <c>model_id</c>, the provider's <c>project_id</c> or <c>space_id</c> added, developer messages as system
/// messages, string <c>tool_choice</c> to <c>tool_choice_option</c>, a string <c>stop</c> as a list, tool
/// schemas without <c>strict</c> and <c>additionalProperties</c>; <c>stream</c> and <c>stream_options</c> are
/// left out (the path selects streaming and watsonx always reports usage). A parameter watsonx cannot honour
/// is a client error.
/// </summary>
public static class WatsonxChatRequestWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Sampling and output fields watsonx takes as OpenAI writes them.</summary>
    private static readonly string[] CopiedFields =
    [
        "max_tokens", "max_completion_tokens", "temperature", "top_p", "frequency_penalty", "presence_penalty",
        "seed", "n", "logprobs", "top_logprobs", "time_limit",
    ];

    /// <summary>Fields with no effect on the answer that watsonx has no place for; they are left out.</summary>
    private static readonly string[] IgnoredFields =
    [
        "model", "messages", "stream", "stream_options", "prefer_provider", "user", "store", "metadata", "service_tier",
        "tools", "tool_choice", "parallel_tool_calls", "stop", "response_format",
    ];

    /// <summary>Writes the watsonx body; returns a client error instead when the request cannot be expressed.</summary>
    public static ClientError? Write(ReadOnlyMemory<byte> openAiBody, string model, ProviderDefinition provider, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(provider);
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
        writer.WriteString("model_id"u8, model);
        WatsonxScope.Write(writer, provider);
        if (WriteMessages(writer, messages) is { } messageError)
        {
            return messageError;
        }

        if (WriteTools(writer, root) is { } toolError)
        {
            return toolError;
        }

        foreach (var name in CopiedFields)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        if (root.TryGetProperty("stop", out var stop) && WriteStop(writer, stop) is { } stopError)
        {
            return stopError;
        }

        if (root.TryGetProperty("response_format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            var type = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type is not ("text" or "json_object" or "json_schema"))
            {
                return Reject("response_format", "only text, json_object and json_schema are supported");
            }

            writer.WritePropertyName("response_format"u8);
            format.WriteTo(writer);
        }

        writer.WriteEndObject();
        return null;
    }

    private static ClientError Reject(string param, string why) =>
        new(400, $"'{param}' is not supported by this provider (watsonx.ai): {why}.", "invalid_request_error", param, "unsupported_parameter");

    private static ClientError? Unsupported(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null || IgnoredFields.Contains(name) || CopiedFields.Contains(name))
            {
                continue;
            }

            switch (name)
            {
                case "modalities" when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(m => m.ValueKind == JsonValueKind.String && m.GetString() == "text"):
                    continue;
                case "logit_bias" when value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any():
                    continue;
                case "modalities":
                    return Reject(name, "it answers with text only");
                case "audio":
                    return Reject(name, "it has no audio output");
                case "functions" or "function_call":
                    return Reject(name, "use tools and tool_choice");
                default:
                    return Reject(name, "watsonx.ai has no such parameter");
            }
        }

        if (root.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind == JsonValueKind.False)
        {
            return Reject("parallel_tool_calls", "it cannot be told to call one tool at a time");
        }

        return null;
    }

    private static ClientError? WriteMessages(Utf8JsonWriter writer, JsonElement messages)
    {
        writer.WriteStartArray("messages"u8);
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var r) ? r.GetString() : null;
            var error = role switch
            {
                "system" or "developer" => WriteTextMessage(writer, "system", message, index, withName: false),
                "user" => WriteUserMessage(writer, message, index),
                "assistant" => WriteAssistantMessage(writer, message, index),
                "tool" => WriteToolMessage(writer, message, index),
                _ => new ClientError(400, $"messages[{index}].role '{role}' is not supported by this provider (watsonx.ai).", "invalid_request_error", $"messages[{index}].role", "invalid_value"),
            };
            if (error is not null)
            {
                return error;
            }

            index++;
        }

        writer.WriteEndArray();
        return null;
    }

    private static ClientError? WriteTextMessage(Utf8JsonWriter writer, string role, JsonElement message, int index, bool withName)
    {
        if (OpenAiMessageText.TextOf(message) is not { } text)
        {
            return new ClientError(400, $"messages[{index}] must contain text only.", "invalid_request_error", $"messages[{index}].content", "invalid_content");
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, role);
        writer.WriteString("content"u8, text);
        if (withName)
        {
            CopyName(writer, message);
        }

        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteUserMessage(Utf8JsonWriter writer, JsonElement message, int index)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return WriteTextMessage(writer, "user", message, index, withName: true);
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "user");
        writer.WriteStartArray("content"u8);
        foreach (var part in content.EnumerateArray())
        {
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "text":
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "text");
                    writer.WriteString("text"u8, part.TryGetProperty("text", out var text) ? text.GetString() : string.Empty);
                    writer.WriteEndObject();
                    break;
                case "image_url":
                    var url = part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object && image.TryGetProperty("url", out var u) ? u.GetString() : null;
                    if (string.IsNullOrEmpty(url))
                    {
                        return new ClientError(400, $"messages[{index}]: image_url needs a url.", "invalid_request_error", $"messages[{index}].content", "invalid_image");
                    }

                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "image_url");
                    writer.WriteStartObject("image_url"u8);
                    writer.WriteString("url"u8, url);
                    if (image.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                    {
                        writer.WriteString("detail"u8, detail.GetString());
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
                default:
                    return new ClientError(400, $"messages[{index}] has a '{type}' content part, which this provider (watsonx.ai) cannot take.", "invalid_request_error", $"messages[{index}].content", "unsupported_content");
            }
        }

        writer.WriteEndArray();
        CopyName(writer, message);
        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteAssistantMessage(Utf8JsonWriter writer, JsonElement message, int index)
    {
        var hasCalls = message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;
        var text = OpenAiMessageText.TextOf(message);
        if (text is null)
        {
            return new ClientError(400, $"messages[{index}]: assistant content must be text.", "invalid_request_error", $"messages[{index}].content", "invalid_content");
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant");
        if (text.Length > 0 || !hasCalls)
        {
            writer.WriteString("content"u8, text);
        }

        if (hasCalls)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (var call in calls.EnumerateArray())
            {
                if (!call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object || !function.TryGetProperty("name", out var name))
                {
                    return new ClientError(400, $"messages[{index}].tool_calls: only function calls with a name are supported.", "invalid_request_error", $"messages[{index}].tool_calls", "unsupported_tool");
                }

                writer.WriteStartObject();
                writer.WriteString("id"u8, call.TryGetProperty("id", out var id) ? id.GetString() : string.Empty);
                writer.WriteString("type"u8, "function");
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, name.GetString());
                writer.WriteString("arguments"u8, function.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String ? arguments.GetString() : "{}");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        CopyName(writer, message);
        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteToolMessage(Utf8JsonWriter writer, JsonElement message, int index)
    {
        if (!message.TryGetProperty("tool_call_id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            return new ClientError(400, $"messages[{index}]: a tool message needs tool_call_id.", "invalid_request_error", $"messages[{index}].tool_call_id", "missing_required_parameter");
        }

        if (OpenAiMessageText.TextOf(message) is not { } text)
        {
            return new ClientError(400, $"messages[{index}]: tool content must be text.", "invalid_request_error", $"messages[{index}].content", "invalid_content");
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "tool");
        writer.WriteString("tool_call_id"u8, id.GetString());
        writer.WriteString("content"u8, text);
        writer.WriteEndObject();
        return null;
    }

    private static ClientError? WriteTools(Utf8JsonWriter writer, JsonElement root)
    {
        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            writer.WriteStartArray("tools"u8);
            foreach (var tool in tools.EnumerateArray())
            {
                if (!tool.TryGetProperty("type", out var type) || type.GetString() != "function"
                    || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
                    || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    return new ClientError(400, "Only function tools with a name are supported by this provider (watsonx.ai).", "invalid_request_error", "tools", "unsupported_tool");
                }

                writer.WriteStartObject();
                writer.WriteString("type"u8, "function");
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, name.GetString());
                if (function.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
                {
                    writer.WriteString("description"u8, description.GetString());
                }

                if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName("parameters"u8);
                    WriteSchema(writer, parameters);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            var option = choice.GetString();
            if (option is not ("auto" or "none" or "required"))
            {
                return new ClientError(400, $"tool_choice '{option}' is not one of auto, required, none.", "invalid_request_error", "tool_choice", "invalid_value");
            }

            writer.WriteString("tool_choice_option"u8, option);
            return null;
        }

        if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var chosen) && chosen.ValueKind == JsonValueKind.Object
            && chosen.TryGetProperty("name", out var chosenName) && chosenName.ValueKind == JsonValueKind.String)
        {
            writer.WriteStartObject("tool_choice"u8);
            writer.WriteString("type"u8, "function");
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, chosenName.GetString());
            writer.WriteEndObject();
            writer.WriteEndObject();
            return null;
        }

        return Reject("tool_choice", "only auto, none, required or a named function are supported");
    }

    /// <summary>Copies a JSON schema without <c>additionalProperties</c> and <c>strict</c>, which watsonx rejects.</summary>
    private static void WriteSchema(Utf8JsonWriter writer, JsonElement schema)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in schema.EnumerateObject())
                {
                    if (property.NameEquals("additionalProperties") || property.NameEquals("strict"))
                    {
                        continue;
                    }

                    writer.WritePropertyName(property.Name);
                    WriteSchema(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in schema.EnumerateArray())
                {
                    WriteSchema(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                schema.WriteTo(writer);
                break;
        }
    }

    private static ClientError? WriteStop(Utf8JsonWriter writer, JsonElement stop)
    {
        switch (stop.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                writer.WriteStartArray("stop"u8);
                writer.WriteStringValue(stop.GetString());
                writer.WriteEndArray();
                return null;
            case JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String):
                writer.WritePropertyName("stop"u8);
                stop.WriteTo(writer);
                return null;
            default:
                return new ClientError(400, "'stop' must be a string or an array of strings.", "invalid_request_error", "stop", "invalid_type");
        }
    }

    private static void CopyName(Utf8JsonWriter writer, JsonElement message)
    {
        if (message.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            writer.WriteString("name"u8, name.GetString());
        }
    }
}

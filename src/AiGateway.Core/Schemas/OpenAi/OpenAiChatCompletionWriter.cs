using System.Text.Json;

namespace AiGateway.Core.Schemas.OpenAi;

/// <summary>
/// The single-choice OpenAI <c>chat.completion</c> object that the Anthropic and Bedrock response translators build
/// from a buffered answer: one writer, so both give the same shape.
/// </summary>
internal static class OpenAiChatCompletionWriter
{
    /// <summary>
    /// Writes the object's start up to and including <c>choices</c>; the caller then writes <c>usage</c> and ends the
    /// object. <paramref name="tools"/> are the provider's tool-use blocks, each with an id property named
    /// <paramref name="toolIdProperty"/>, a <c>name</c> and an optional <c>input</c> object (sent as the arguments
    /// string). A <c>tool_calls</c> finish reason without tool calls becomes <c>stop</c>.
    /// </summary>
    public static void WriteStartWithChoice(
        Utf8JsonWriter writer,
        string id,
        long created,
        string model,
        string text,
        bool hasText,
        string? reasoning,
        IReadOnlyList<JsonElement> tools,
        string toolIdProperty,
        string finishReason)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteString("object"u8, "chat.completion");
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, model);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, "assistant");
        if (hasText || tools.Count == 0)
        {
            writer.WriteString("content"u8, text);
        }
        else
        {
            writer.WriteNull("content"u8);
        }

        if (reasoning is not null)
        {
            writer.WriteString("reasoning_content"u8, reasoning);
        }

        if (tools.Count > 0)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (var tool in tools)
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, tool.GetProperty(toolIdProperty).GetString());
                writer.WriteString("type"u8, "function");
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, tool.GetProperty("name").GetString());
                writer.WriteString("arguments"u8, tool.TryGetProperty("input", out var input) ? input.GetRawText() : "{}");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteNull("refusal"u8);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, finishReason == "tool_calls" && tools.Count == 0 ? "stop" : finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}

using System.Globalization;
using System.Text.Json;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Gemini;

/// <summary>
/// Writes Gemini <c>GenerateContentResponse</c> bodies and stream events, embedding answers and errors in
/// Google's shape. Stream events are whole response objects holding one piece each; SSE events end with
/// <c>\r\n\r\n</c> as Google's do.
/// </summary>
internal static class GeminiJson
{
    public static byte[] Response(string responseId, string model, GeminiReply reply) =>
        JsonBodies.Serialize((responseId, model, reply), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("candidates"u8);
            for (var i = 0; i < s.reply.CandidateCount; i++)
            {
                WriteCandidate(w, i, s.reply.CallName is null ? s.reply.Text : null, s.reply, s.reply.FinishReason);
            }

            w.WriteEndArray();
            WriteUsage(w, s.reply.PromptTokens, s.reply.CandidatesTokens);
            WriteTrailer(w, s.model, s.responseId);
            w.WriteEndObject();
        });

    /// <summary>
    /// The stream's response objects, in order: one per word of text (usage so far on each), the function call in
    /// an event of its own, then a last event with an empty text part, the finish reason and the final usage.
    /// </summary>
    public static IReadOnlyList<byte[]> StreamObjects(string responseId, string model, GeminiReply reply)
    {
        var objects = new List<byte[]>();
        var sent = 0;
        foreach (var piece in ChatText.SplitWords(reply.Text))
        {
            sent += piece.Length;
            var tokens = Tokens.TokenEstimator.ForText(sent);
            objects.Add(StreamObject(responseId, model, reply, piece, false, null, tokens));
        }

        if (reply.CallName is not null)
        {
            objects.Add(StreamObject(responseId, model, reply, null, true, null, reply.CandidatesTokens));
        }

        objects.Add(StreamObject(responseId, model, reply, string.Empty, false, reply.FinishReason, reply.CandidatesTokens));
        return objects;
    }

    /// <summary>Frames a response object as an SSE event (<c>data: ...\r\n\r\n</c>).</summary>
    public static byte[] SseEvent(byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return [.. "data: "u8, .. json, .. "\r\n\r\n"u8];
    }

    public static byte[] Error(GeminiError error) => JsonBodies.Serialize(error, static (w, e) => e.WriteTo(w));

    /// <summary>AI Studio <c>batchEmbedContents</c>: <c>{"embeddings":[{"values":[...]}]}</c>.</summary>
    public static byte[] BatchEmbeddings(IReadOnlyList<float[]> vectors) =>
        JsonBodies.Serialize(vectors, static (w, v) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("embeddings"u8);
            foreach (var vector in v)
            {
                w.WriteStartObject();
                WriteValues(w, vector);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>AI Studio <c>embedContent</c>: <c>{"embedding":{"values":[...]}}</c>.</summary>
    public static byte[] SingleEmbedding(float[] vector) =>
        JsonBodies.Serialize(vector, static (w, v) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("embedding"u8);
            WriteValues(w, v);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>Vertex AI <c>predict</c>: <c>predictions[i].embeddings.{values, statistics.token_count}</c>.</summary>
    public static byte[] Predictions(IReadOnlyList<(float[] Vector, int Tokens)> predictions, int characters) =>
        JsonBodies.Serialize((predictions, characters), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("predictions"u8);
            foreach (var (vector, tokens) in s.predictions)
            {
                w.WriteStartObject();
                w.WriteStartObject("embeddings"u8);
                w.WriteStartObject("statistics"u8);
                w.WriteBoolean("truncated"u8, false);
                w.WriteNumber("token_count"u8, tokens);
                w.WriteEndObject();
                WriteValues(w, vector);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("metadata"u8);
            w.WriteNumber("billableCharacterCount"u8, s.characters);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static byte[] StreamObject(string responseId, string model, GeminiReply reply, string? text, bool call, string? finish, int candidatesTokens) =>
        JsonBodies.Serialize((responseId, model, reply, text, call, finish, candidatesTokens), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("candidates"u8);
            for (var i = 0; i < s.reply.CandidateCount; i++)
            {
                WriteCandidate(w, i, s.text, s.call ? s.reply : null, s.finish);
            }

            w.WriteEndArray();
            WriteUsage(w, s.reply.PromptTokens, s.candidatesTokens);
            WriteTrailer(w, s.model, s.responseId);
            w.WriteEndObject();
        });

    private static void WriteCandidate(Utf8JsonWriter w, int index, string? text, GeminiReply? call, string? finish)
    {
        w.WriteStartObject();
        w.WriteStartObject("content"u8);
        w.WriteStartArray("parts"u8);
        if (text is not null)
        {
            w.WriteStartObject();
            w.WriteString("text"u8, text);
            w.WriteEndObject();
        }

        if (call?.CallName is { } name)
        {
            w.WriteStartObject();
            w.WriteStartObject("functionCall"u8);
            w.WriteString("name"u8, name);
            w.WritePropertyName("args"u8);
            w.WriteRawValue(call.CallArgs!, skipInputValidation: true);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("role"u8, "model");
        w.WriteEndObject();
        if (finish is not null)
        {
            w.WriteString("finishReason"u8, finish);
        }

        w.WriteNumber("index"u8, index);
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, int prompt, int candidates)
    {
        w.WriteStartObject("usageMetadata"u8);
        w.WriteNumber("promptTokenCount"u8, prompt);
        w.WriteNumber("candidatesTokenCount"u8, candidates);
        w.WriteNumber("totalTokenCount"u8, prompt + candidates);
        w.WriteEndObject();
    }

    private static void WriteTrailer(Utf8JsonWriter w, string model, string responseId)
    {
        w.WriteString("modelVersion"u8, model);
        w.WriteString("responseId"u8, responseId);
    }

    private static void WriteValues(Utf8JsonWriter w, float[] vector)
    {
        w.WriteStartArray("values"u8);
        foreach (var value in vector)
        {
            w.WriteNumberValue(value);
        }

        w.WriteEndArray();
    }

    /// <summary><c>mock-resp-&lt;n&gt;</c>.</summary>
    public static string ResponseId(long number) => "mock-resp-" + number.ToString(CultureInfo.InvariantCulture);
}

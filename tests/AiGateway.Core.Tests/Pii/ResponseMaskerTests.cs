using System.Buffers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Pii;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Tests.Pii;

/// <summary>Model output masked and placeholders restored through the SSE and JSON paths, in the client's format.</summary>
public sealed class ResponseMaskerTests
{
    private const string Output = "Sure. Write to john.doe@example.com, call ０９０－１２３４－５６７８ or pay with 4111 1111 1111 1111 today.";
    private const string UsageChunk = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""";
    private static readonly string[] Secrets = ["john", "example.com", "1234", "5678", "4111"];

    private static PiiMasker Masker(PiiMode mode = PiiMode.Mask) =>
        new(new PiiDetector(PiiDetector.AllBuiltIn), PiiDetector.AllBuiltIn.ToDictionary(PiiDetector.LabelOf, _ => new PiiRule(mode, string.Empty)), "k"u8.ToArray());

    private static string Chunk(string deltaJson, string? finish = null) =>
        $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{deltaJson},\"finish_reason\":{(finish is null ? "null" : $"\"{finish}\"")}}}]}}\n\n";

    private static string ContentChunk(string text) => Chunk($"{{\"content\":{JsonSerializer.Serialize(text)}}}");

    private static string OpenAiStream(params string[] deltas) =>
        Chunk("""{"role":"assistant","content":""}""") + string.Concat(deltas.Select(ContentChunk)) + Chunk("{}", "stop") + UsageChunk + "\n\n" + "data: [DONE]\n\n";

    private static string Run(ResponseMasker masker, params string[] chunks)
    {
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < chunks.Length; i++)
        {
            masker.MaskStream(Encoding.UTF8.GetBytes(chunks[i]), i == chunks.Length - 1, output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static IEnumerable<JsonElement> Events(string sse) =>
        sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n').First(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..])
            .Where(d => d != "[DONE]")
            .Select(d => JsonDocument.Parse(d).RootElement.Clone());

    private static string OpenAiText(string sse, Func<JsonElement, string?> pick)
    {
        var text = new StringBuilder();
        foreach (var chunk in Events(sse))
        {
            foreach (var choice in chunk.GetProperty("choices").EnumerateArray())
            {
                if (choice.TryGetProperty("delta", out var delta))
                {
                    text.Append(pick(delta));
                }
            }
        }

        return text.ToString();
    }

    private static string Content(string sse) =>
        OpenAiText(sse, d => d.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null);

    private static string Arguments(string sse) =>
        OpenAiText(sse, d => d.TryGetProperty("tool_calls", out var calls) ? string.Concat(calls.EnumerateArray().Select(c => c.GetProperty("function").TryGetProperty("arguments", out var a) ? a.GetString() : null)) : null);

    [Fact]
    public void Masks_an_entity_split_across_two_content_events_at_every_character_offset()
    {
        var masker = Masker();
        var expected = masker.Mask(Output, "t", new PiiPlaceholders()).Text;
        for (var split = 0; split <= Output.Length; split++)
        {
            using var response = new ResponseMasker(EndpointKind.ChatCompletions, masker, "t", null);
            var output = new ArrayBufferWriter<byte>();

            response.MaskStream(Encoding.UTF8.GetBytes(Chunk("""{"role":"assistant","content":""}""") + ContentChunk(Output[..split])), false, output);
            response.MaskStream(Encoding.UTF8.GetBytes(ContentChunk(Output[split..]) + Chunk("{}", "stop") + "data: [DONE]\n\n"), true, output);

            var text = Encoding.UTF8.GetString(output.WrittenSpan);
            Assert.Equal(expected, Content(text));
            Assert.All(Secrets, s => Assert.DoesNotContain(s, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Masks_a_stream_split_at_every_byte_offset_and_leaves_the_usage_chunk_alone()
    {
        var masker = Masker();
        const string answer = "Write to john.doe@example.com, call ０９０－１２３４－５６７８ now.";
        var sse = Encoding.UTF8.GetBytes(OpenAiStream([.. answer.Chunk(10).Select(c => new string(c))]));
        var expected = masker.Mask(answer, "t", new PiiPlaceholders()).Text;
        for (var split = 0; split <= sse.Length; split++)
        {
            using var response = new ResponseMasker(EndpointKind.ChatCompletions, masker, "t", null);
            var output = new ArrayBufferWriter<byte>();

            response.MaskStream(sse.AsSpan(0, split), false, output);
            response.MaskStream(sse.AsSpan(split), true, output);

            var text = Encoding.UTF8.GetString(output.WrittenSpan);
            Assert.Equal(expected, Content(text));
            Assert.All(Secrets, s => Assert.DoesNotContain(s, text, StringComparison.Ordinal));
            Assert.Contains(UsageChunk + "\n\n", text, StringComparison.Ordinal);
            Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Releases_the_held_text_in_the_finish_chunk_before_usage_and_done()
    {
        using var response = new ResponseMasker(EndpointKind.ChatCompletions, Masker(), "t", null);

        var text = Run(response, OpenAiStream("Call me at 090-1234-5678 please"));

        var finish = Events(text).Single(e => e.GetProperty("choices").GetArrayLength() == 1 && e.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
        Assert.Equal("Call me at [PHONE] please", finish.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        Assert.True(text.IndexOf("[PHONE]", StringComparison.Ordinal) < text.IndexOf("\"usage\":{", StringComparison.Ordinal));
        Assert.Equal(1, response.Found["phone"]);
    }

    [Fact]
    public void Holds_back_no_more_than_the_hold_back_of_text_without_entities()
    {
        using var response = new ResponseMasker(EndpointKind.ChatCompletions, Masker(), "t", null);
        var output = new ArrayBufferWriter<byte>();
        var sent = 0;
        var released = 0;
        var prose = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 4));

        foreach (var c in prose)
        {
            output.ResetWrittenCount();
            response.MaskStream(Encoding.UTF8.GetBytes(ContentChunk(c.ToString())), false, output);
            sent++;
            released += Content(Encoding.UTF8.GetString(output.WrittenSpan)).Length;
            Assert.True(sent - released <= StreamingTextMasker.DefaultHoldBack, $"{sent - released} characters held");
        }
    }

    [Fact]
    public void Restores_a_placeholder_split_across_events_at_every_character_offset()
    {
        var placeholders = new PiiPlaceholders();
        var email = placeholders.Add("EMAIL", "john@example.com");
        var phone = placeholders.Add("PHONE", "090-1234-5678");
        var answer = $"I wrote to {email} and called {phone}[x] [EMAIL_9]";
        for (var split = 0; split <= answer.Length; split++)
        {
            using var response = new ResponseMasker(EndpointKind.ChatCompletions, null, "t", placeholders);

            var text = Run(response, OpenAiStream(answer[..split], answer[split..]));

            Assert.Equal("I wrote to john@example.com and called 090-1234-5678[x] [EMAIL_9]", Content(text));
        }
    }

    [Fact]
    public void Passes_events_without_placeholders_byte_for_byte_when_only_restoring()
    {
        var placeholders = new PiiPlaceholders();
        placeholders.Add("EMAIL", "john@example.com");
        using var response = new ResponseMasker(EndpointKind.ChatCompletions, null, "t", placeholders);
        var sse = OpenAiStream("Hello ", "[world] ", "[1, 2]");

        Assert.Equal(sse, Run(response, sse));
    }

    [Fact]
    public void Restores_placeholders_in_streamed_tool_call_arguments_as_json_text()
    {
        var placeholders = new PiiPlaceholders();
        var name = placeholders.Add("NAME", "Jo \"JD\" Doe");
        var arguments = $"{{\"to\":\"{name}\"}}";
        for (var split = 0; split <= arguments.Length; split++)
        {
            using var response = new ResponseMasker(EndpointKind.ChatCompletions, null, "t", placeholders);
            string Call(string args) => Chunk($"{{\"tool_calls\":[{{\"index\":0,\"function\":{{\"arguments\":{JsonSerializer.Serialize(args)}}}}}]}}");

            var text = Run(response, Call(arguments[..split]) + Call(arguments[split..]) + Chunk("{}", "tool_calls") + "data: [DONE]\n\n");

            Assert.Equal("Jo \"JD\" Doe", JsonDocument.Parse(Arguments(text)).RootElement.GetProperty("to").GetString());
        }
    }

    [Fact]
    public void Masks_entities_split_across_anthropic_text_deltas_and_releases_them_before_the_block_stops()
    {
        var masker = Masker();
        var expected = masker.Mask(Output, "t", new PiiPlaceholders()).Text;
        static string Delta(string text) => $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":{JsonSerializer.Serialize(text)}}}}}\n\n";
        for (var split = 0; split <= Output.Length; split++)
        {
            using var response = new ResponseMasker(EndpointKind.Messages, masker, "t", null);

            var text = Run(
                response,
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + Delta(Output[..split]) + Delta(Output[split..])
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

            var events = Events(text).ToList();
            var stop = events.FindIndex(e => e.GetProperty("type").GetString() == "content_block_stop");
            var released = string.Concat(events.Take(stop).Where(e => e.GetProperty("type").GetString() == "content_block_delta").Select(e => e.GetProperty("delta").GetProperty("text").GetString()));
            Assert.Equal(expected, released);
            Assert.All(Secrets, s => Assert.DoesNotContain(s, text, StringComparison.Ordinal));
            Assert.Contains("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}\n\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Masks_a_buffered_openai_answer_its_reasoning_and_tool_call_arguments()
    {
        using var response = new ResponseMasker(EndpointKind.ChatCompletions, Masker(), "t", null);
        var answer = """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Mail john@example.com","reasoning_content":"The card 4111 1111 1111 1111 is valid","tool_calls":[{"id":"t1","type":"function","function":{"name":"send","arguments":"{\"to\":\"john@example.com\"}"}}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"""u8;

        var masked = Encoding.UTF8.GetString(response.MaskJson(answer)!);

        var message = JsonDocument.Parse(masked).RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Mail [EMAIL]", message.GetProperty("content").GetString());
        Assert.Equal("The card [CREDIT_CARD] is valid", message.GetProperty("reasoning_content").GetString());
        Assert.Equal("""{"to":"[EMAIL]"}""", message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Contains("\"usage\":{\"prompt_tokens\":1", masked, StringComparison.Ordinal);
        Assert.Equal(2, response.Found["email"]);
    }

    [Fact]
    public void Masks_a_buffered_anthropic_message_and_its_tool_input()
    {
        using var response = new ResponseMasker(EndpointKind.Messages, Masker(), "t", null);
        var answer = """{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Call 090-1234-5678"},{"type":"tool_use","id":"tu_1","name":"send","input":{"to":["john@example.com"],"n":1}}],"stop_reason":"end_turn"}"""u8;

        var masked = Encoding.UTF8.GetString(response.MaskJson(answer)!);

        Assert.Contains("\"text\":\"Call [PHONE]\"", masked, StringComparison.Ordinal);
        Assert.Contains("\"input\":{\"to\":[\"[EMAIL]\"],\"n\":1}", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Leaves_an_answer_without_entities_or_placeholders_untouched()
    {
        using var response = new ResponseMasker(EndpointKind.ChatCompletions, Masker(), "t", null);

        Assert.Null(response.MaskJson("""{"choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"}}]}"""u8));
        Assert.Null(response.MaskJson("not json"u8));
    }

    [Fact]
    public void Gives_the_client_back_its_own_values_but_masks_new_ones_in_reversible_mode()
    {
        var placeholders = new PiiPlaceholders();
        var masker = Masker(PiiMode.Reversible);
        masker.Mask("from john@example.com", "t", placeholders);
        using var response = new ResponseMasker(EndpointKind.ChatCompletions, masker, "t", placeholders);

        var masked = Encoding.UTF8.GetString(response.MaskJson("""{"choices":[{"index":0,"message":{"content":"[EMAIL_1], john@example.com and jane@example.org"}}]}"""u8)!);

        Assert.Contains("john@example.com, john@example.com and [EMAIL]", masked, StringComparison.Ordinal);
        Assert.Equal(1, placeholders.Count);
    }

    [Fact]
    public void Masks_types_configured_to_block_in_output_instead_of_refusing()
    {
        using var response = new ResponseMasker(EndpointKind.ChatCompletions, Masker(PiiMode.Block), "t", null);

        var text = Run(response, OpenAiStream("Card 4111 1111 1111 1111."));

        Assert.Equal("Card [CREDIT_CARD].", Content(text));
    }

    [Fact]
    public void Flushes_held_text_in_an_extra_chunk_when_the_stream_ends_without_a_finish_reason()
    {
        using var response = new ResponseMasker(EndpointKind.ChatCompletions, Masker(), "t", null);

        var text = Run(response, ContentChunk("Reach me at john@example.com"));

        Assert.Equal("Reach me at [EMAIL]", Content(text));
        Assert.Equal("c1", Events(text).Last().GetProperty("id").GetString());
    }
}

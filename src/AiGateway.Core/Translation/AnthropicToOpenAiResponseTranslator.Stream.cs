using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Streaming;

namespace AiGateway.Core.Translation;

/// <summary>OpenAI chunk streams to Anthropic's event stream, one chunk at a time.</summary>
public sealed partial class AnthropicToOpenAiResponseTranslator
{
    private SseEventSplitter? _events;
    private byte[]? _id;
    private byte[]? _model;
    private bool _started;
    private bool _finished;
    private int _nextBlock;
    private int _openBlock = -1;
    private BlockKind _openKind;
    private List<(int OpenAiIndex, int Block)>? _tools;
    private string? _finish;

    private enum BlockKind
    {
        None,
        Text,
        Thinking,
        Tool,
    }

    private void WriteEvents(ReadOnlySpan<byte> chunks, bool endOfStream, IBufferWriter<byte> output)
    {
        var events = _events ??= new SseEventSplitter();
        var state = new StreamState(this, output);
        events.Feed(chunks, ref state, static (ref StreamState s, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data) =>
        {
            var self = s.Owner;
            if (data.IsEmpty || self._finished)
            {
                return;
            }

            if (data.SequenceEqual("[DONE]"u8))
            {
                self.Finish(s.Output);
                return;
            }

            try
            {
                self.OnChunk(data, s.Output);
            }
            catch (JsonException)
            {
                self._malformed = true;
                self.WriteStreamError(s.Output, "api_error"u8, "\"The provider sent a malformed stream event.\""u8);
            }
        });

        if (endOfStream)
        {
            // A stream cut short after its last whole event still ends as a well-formed message.
            events.ClearPartialEvent();
            Finish(output);
        }
    }

    private void OnChunk(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (_id is null && reader.TokenType == JsonTokenType.String)
                {
                    _id = RawString(data, ref reader).ToArray();
                }
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (_model is null && reader.TokenType == JsonTokenType.String)
                {
                    _model = RawString(data, ref reader).ToArray();
                }
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                // The first chunk (id and model come before its choices) opens the message at once.
                Start(output);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadChoice(data, ref reader, output);
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                ReadError(data, ref reader, output);
                return;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadChoice(ReadOnlySpan<byte> data, ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadDelta(data, ref reader, output);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    _finish = reader.ValueTextEquals("stop"u8) ? "stop"
                        : reader.ValueTextEquals("length"u8) ? "length"
                        : reader.ValueTextEquals("tool_calls"u8) ? "tool_calls"
                        : reader.ValueTextEquals("content_filter"u8) ? "content_filter"
                        : reader.GetString();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadDelta(ReadOnlySpan<byte> data, ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            BlockKind kind;
            if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("refusal"u8))
            {
                kind = BlockKind.Text;
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                kind = BlockKind.Thinking;
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                var ordinal = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadToolCall(data, ref reader, ordinal++, output);
                }

                continue;
            }
            else
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.IsEmpty)
            {
                reader.Skip();
                continue;
            }

            var index = OpenBlock(kind, output);
            output.Write("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"u8);
            WriteInt(output, index);
            output.Write(kind == BlockKind.Text ? ",\"delta\":{\"type\":\"text_delta\",\"text\":"u8 : ",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":"u8);
            output.Write(RawString(data, ref reader));
            output.Write("}}\n\n"u8);
        }
    }

    private void ReadToolCall(ReadOnlySpan<byte> data, ref Utf8JsonReader reader, int ordinal, IBufferWriter<byte> output)
    {
        var openAiIndex = ordinal;
        Range? id = null, name = null, arguments = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
                {
                    openAiIndex = value;
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? RawRange(ref reader) : null;
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isName = reader.ValueTextEquals("name"u8);
                    var isArguments = !isName && reader.ValueTextEquals("arguments"u8);
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (isName || isArguments))
                    {
                        if (isName)
                        {
                            name = RawRange(ref reader);
                        }
                        else if (!reader.ValueSpan.IsEmpty)
                        {
                            arguments = RawRange(ref reader);
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var block = -1;
        var tools = _tools ??= [];
        foreach (var (known, knownBlock) in tools)
        {
            if (known == openAiIndex)
            {
                block = knownBlock;
            }
        }

        if (block < 0)
        {
            // A new call: its block opens with an empty input; the arguments follow as input_json_delta.
            Start(output);
            CloseBlock(output);
            block = _nextBlock++;
            tools.Add((openAiIndex, block));
            _openBlock = block;
            _openKind = BlockKind.Tool;
            output.Write("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":"u8);
            WriteInt(output, block);
            output.Write(",\"content_block\":{\"type\":\"tool_use\",\"id\":"u8);
            if (id is { } idRange)
            {
                output.Write(data[idRange]);
            }
            else
            {
                output.Write("\"toolu_gateway_"u8);
                WriteInt(output, block);
                output.Write("\""u8);
            }

            output.Write(",\"name\":"u8);
            output.Write(name is { } nameRange ? data[nameRange] : "\"\""u8);
            output.Write(",\"input\":{}}}\n\n"u8);
        }

        if (arguments is { } argumentsRange)
        {
            // A late fragment of an earlier call still names that call's block (Anthropic's SDKs merge by index).
            output.Write("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"u8);
            WriteInt(output, block);
            output.Write(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"u8);
            output.Write(data[argumentsRange]);
            output.Write("}}\n\n"u8);
        }
    }

    private void ReadError(ReadOnlySpan<byte> data, ref Utf8JsonReader reader, IBufferWriter<byte> output)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            WriteStreamError(output, "api_error"u8, "\"The provider failed mid-stream.\""u8);
            return;
        }

        Range? message = null;
        string? type = null;
        string? code = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = reader.ValueTextEquals("message"u8) ? 1 : reader.ValueTextEquals("type"u8) ? 2 : reader.ValueTextEquals("code"u8) ? 3 : 0;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            switch (which)
            {
                case 1:
                    message = RawRange(ref reader);
                    break;
                case 2:
                    type = reader.GetString();
                    break;
                case 3:
                    code = reader.GetString();
                    break;
            }
        }

        var anthropicType = IsAnthropicType(code) ? code! : IsAnthropicType(type) ? type! : "api_error";
        WriteStreamError(output, System.Text.Encoding.UTF8.GetBytes(anthropicType), message is { } messageRange ? data[messageRange] : "\"The provider failed mid-stream.\""u8);
    }

    private static bool IsAnthropicType(string? type) => type is "invalid_request_error" or "authentication_error" or "billing_error"
        or "permission_error" or "not_found_error" or "request_too_large" or "rate_limit_error" or "timeout_error" or "api_error" or "overloaded_error";

    /// <summary>Writes <c>message_start</c> once, before anything else.</summary>
    private void Start(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        output.Write("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"u8);
        output.Write(_id is null ? "\"msg_gateway\""u8 : _id);
        output.Write(",\"type\":\"message\",\"role\":\"assistant\",\"model\":"u8);
        output.Write(_model ?? Quoted(requestedModel));
        output.Write(",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n\n"u8);
    }

    /// <summary>Returns the open text or thinking block of <paramref name="kind"/>, opening it (and closing another) if needed.</summary>
    private int OpenBlock(BlockKind kind, IBufferWriter<byte> output)
    {
        Start(output);
        if (_openKind == kind)
        {
            return _openBlock;
        }

        CloseBlock(output);
        _openBlock = _nextBlock++;
        _openKind = kind;
        output.Write("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":"u8);
        WriteInt(output, _openBlock);
        output.Write(kind == BlockKind.Text
            ? ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"u8
            : ",\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n"u8);
        return _openBlock;
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (_openBlock < 0)
        {
            return;
        }

        output.Write("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":"u8);
        WriteInt(output, _openBlock);
        output.Write("}\n\n"u8);
        _openBlock = -1;
        _openKind = BlockKind.None;
    }

    /// <summary>Closes the open block, then <c>message_delta</c> (stop reason, usage) and <c>message_stop</c>.</summary>
    private void Finish(IBufferWriter<byte> output)
    {
        if (_finished)
        {
            return;
        }

        Start(output);
        CloseBlock(output);
        _finished = true;
        var usage = inner.Usage;
        output.Write("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""u8);
        output.Write(System.Text.Encoding.UTF8.GetBytes(StopReason(_finish, _tools is { Count: > 0 })));
        output.Write("\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":"u8);
        WriteInt(output, Math.Max(0, usage.InputTokens - usage.CachedInputTokens));
        output.Write(",\"output_tokens\":"u8);
        WriteInt(output, usage.OutputTokens);
        output.Write(",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":"u8);
        WriteInt(output, usage.CachedInputTokens);
        output.Write("}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8);
    }

    /// <summary>Ends the stream with an Anthropic <c>error</c> event (what Anthropic sends mid-stream).</summary>
    private void WriteStreamError(IBufferWriter<byte> output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> quotedMessage)
    {
        output.Write("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\""u8);
        output.Write(type);
        output.Write("\",\"message\":"u8);
        output.Write(quotedMessage);
        output.Write("}}\n\n"u8);
        _finished = true;
    }

    /// <summary>The current string token as it stands in the input, quotes and escapes included.</summary>
    private static ReadOnlySpan<byte> RawString(ReadOnlySpan<byte> data, ref Utf8JsonReader reader) => data[RawRange(ref reader)];

    private static Range RawRange(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        return new Range(start, start + reader.ValueSpan.Length + 2);
    }

    private static byte[] Quoted(string value)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Length + 2);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStringValue(value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private readonly struct StreamState(AnthropicToOpenAiResponseTranslator owner, IBufferWriter<byte> output)
    {
        public readonly AnthropicToOpenAiResponseTranslator Owner = owner;
        public readonly IBufferWriter<byte> Output = output;
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGateway.Core.Streaming;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Pii;

/// <summary>
/// Masks personal data in a model's answer, in the client's format (OpenAI chat completion or Anthropic
/// message, buffered or streamed), and restores the request's reversible placeholders in it. Texts touched:
/// OpenAI <c>content</c> (string or text parts), <c>reasoning_content</c>, <c>reasoning</c>, <c>refusal</c> and
/// tool-call <c>arguments</c>; Anthropic <c>text</c>, <c>thinking</c> and <c>tool_use</c> input. In a stream
/// every text (per choice, per tool call, per content block) goes through its own
/// <see cref="StreamingTextMasker"/> and <see cref="StreamingPlaceholderRestorer"/>, so an entity or a
/// placeholder split across chunks or events is handled whole; what they hold back is released in the
/// choice's finish chunk, before the block's <c>content_block_stop</c>, or before <c>[DONE]</c> / the end of
/// the stream. Every other event (usage, errors, pings) passes unchanged. One instance per response; not
/// thread-safe; never logs.
/// </summary>
public sealed class ResponseMasker : IDisposable
{
    private static readonly string[] OpenAiTextFields = ["content", "reasoning_content", "reasoning", "refusal"];
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly EndpointKind _endpoint;
    private readonly PiiMasker? _masker;
    private readonly string _tenant;
    private readonly PiiPlaceholders _placeholders;
    private readonly int _holdBack;
    private readonly Dictionary<(int Owner, int Kind), Channel> _open = [];
    private readonly List<Channel> _all = [];
    private readonly Dictionary<string, int> _found = new(StringComparer.Ordinal);
    private SseEventSplitter? _splitter;
    private Utf8JsonWriter? _writer;
    private JsonObject? _lastChunk;
    private SearchValues<byte>? _placeholderStarts;

    /// <summary>Creates a masker for one response.</summary>
    /// <param name="endpoint">The client's operation: <see cref="EndpointKind.ChatCompletions"/> (OpenAI format) or <see cref="EndpointKind.Messages"/> (Anthropic format).</param>
    /// <param name="outputMasker">Masks the model's output (<see cref="PiiMasker.ForOutput"/>); null to only restore placeholders.</param>
    /// <param name="tenant">Mixed into hashes.</param>
    /// <param name="placeholders">The request's reversible placeholders, restored in the answer; null when there are none.</param>
    /// <param name="holdBack">Characters each streamed text holds back for masking.</param>
    public ResponseMasker(EndpointKind endpoint, PiiMasker? outputMasker, string tenant, PiiPlaceholders? placeholders, int holdBack = StreamingTextMasker.DefaultHoldBack)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        _endpoint = endpoint;
        _masker = outputMasker?.ForOutput;
        _tenant = tenant;
        _placeholders = placeholders ?? new PiiPlaceholders();
        _holdBack = holdBack;
    }

    /// <summary>True when an answer to <paramref name="endpoint"/> needs a <see cref="ResponseMasker"/>: output masking is on or the request has placeholders.</summary>
    public static bool Applies(EndpointKind endpoint, bool maskOutput, PiiPlaceholders? placeholders) =>
        endpoint is EndpointKind.ChatCompletions or EndpointKind.Messages && (maskOutput || placeholders is { Count: > 0 });

    /// <summary>Findings per label in the output released so far.</summary>
    public IReadOnlyDictionary<string, int> Found
    {
        get
        {
            var total = new Dictionary<string, int>(_found, StringComparer.Ordinal);
            foreach (var channel in _all)
            {
                foreach (var (label, count) in channel.Found)
                {
                    total[label] = total.GetValueOrDefault(label) + count;
                }
            }

            return total;
        }
    }

    /// <summary>Masks a whole JSON answer; null when nothing changed (or it is not an answer this masker reads).</summary>
    public byte[]? MaskJson(ReadOnlySpan<byte> json)
    {
        if (Parse(json) is not JsonObject root)
        {
            return null;
        }

        var changed = false;
        if (_endpoint == EndpointKind.Messages)
        {
            foreach (var block in root["content"] as JsonArray ?? [])
            {
                changed |= StringOf(block?["type"]) switch
                {
                    "text" => MaskField(block, "text", jsonText: false),
                    "thinking" => MaskField(block, "thinking", jsonText: false),
                    "tool_use" => MaskStrings(block?["input"]),
                    _ => false,
                };
            }
        }
        else
        {
            foreach (var choice in root["choices"] as JsonArray ?? [])
            {
                if (choice?["message"] is not JsonObject message)
                {
                    continue;
                }

                foreach (var field in OpenAiTextFields)
                {
                    if (message[field] is JsonArray parts)
                    {
                        foreach (var part in parts)
                        {
                            changed |= MaskField(part, "text", jsonText: false);
                        }
                    }
                    else
                    {
                        changed |= MaskField(message, field, jsonText: false);
                    }
                }

                foreach (var call in message["tool_calls"] as JsonArray ?? [])
                {
                    changed |= MaskField(call?["function"], "arguments", jsonText: true);
                }
            }
        }

        if (!changed)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        Write(root, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Masks one chunk of an SSE answer into <paramref name="output"/> (whole events only; a partial event
    /// waits for the next chunk). At <paramref name="endOfStream"/> everything held is released.
    /// </summary>
    public void MaskStream(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var splitter = _splitter ??= new SseEventSplitter();
        var self = this;
        var state = new StreamState(self, output);
        splitter.Feed(chunk, ref state, static (ref StreamState s, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data) => s.Masker.OnEvent(raw, data, s.Output));
        if (endOfStream)
        {
            FlushAll(output);
            if (splitter.HasPartialEvent)
            {
                output.Write(splitter.PartialEvent);
                splitter.ClearPartialEvent();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _splitter?.Dispose();
        _splitter = null;
        _writer?.Dispose();
        _writer = null;
    }

    private static JsonNode? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? EventName(ReadOnlySpan<byte> raw)
    {
        while (raw.Length > 0)
        {
            var newline = raw.IndexOf((byte)'\n');
            var line = newline < 0 ? raw : raw[..newline];
            if (line.StartsWith("event:"u8))
            {
                return System.Text.Encoding.UTF8.GetString(line[6..].Trim(" \r"u8));
            }

            raw = newline < 0 ? default : raw[(newline + 1)..];
        }

        return null;
    }

    private void OnEvent(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            FlushAll(output);
            output.Write(raw);
            return;
        }

        if (data.IsEmpty || data[0] != (byte)'{' || (_masker is null && !MayHoldPlaceholder(data)) || Parse(data) is not JsonObject root)
        {
            output.Write(raw);
            return;
        }

        var changed = _endpoint == EndpointKind.Messages ? OnAnthropicEvent(root, output) : OnOpenAiChunk(root);
        if (changed)
        {
            WriteEvent(EventName(raw), root, output);
        }
        else
        {
            output.Write(raw);
        }
    }

    /// <summary>
    /// Restoring only: false when the event cannot change, i.e. no text holds the start of a placeholder and no
    /// <c>[</c> in the event is followed by a placeholder's first tag character or by the end of a string.
    /// </summary>
    private bool MayHoldPlaceholder(ReadOnlySpan<byte> data)
    {
        foreach (var channel in _open.Values)
        {
            if (channel.Holding)
            {
                return true;
            }
        }

        _placeholderStarts ??= SearchValues.Create([.. _placeholders.FirstTagBytes, (byte)'"']);
        for (var at = data.IndexOf((byte)'['); at >= 0 && at + 1 < data.Length; at = data[(at + 1)..].IndexOf((byte)'[') is var next and >= 0 ? at + 1 + next : -1)
        {
            if (_placeholderStarts.Contains(data[at + 1]))
            {
                return true;
            }
        }

        return false;
    }

    private bool OnOpenAiChunk(JsonObject root)
    {
        if (root["choices"] is not JsonArray choices || choices.Count == 0)
        {
            return false;
        }

        _lastChunk = root;
        var changed = false;
        for (var c = 0; c < choices.Count; c++)
        {
            if (choices[c] is not JsonObject choice)
            {
                continue;
            }

            var index = IntOf(choice["index"]) ?? c;
            if (choice["delta"] is JsonObject delta)
            {
                for (var k = 0; k < OpenAiTextFields.Length; k++)
                {
                    changed |= PushField(delta, OpenAiTextFields[k], index, k, jsonText: false);
                }

                if (delta["tool_calls"] is JsonArray calls)
                {
                    for (var t = 0; t < calls.Count; t++)
                    {
                        var callIndex = IntOf(calls[t]?["index"]) ?? t;
                        changed |= PushField(calls[t]?["function"], "arguments", index, ToolKind(callIndex), jsonText: true);
                    }
                }
            }

            if (choice["finish_reason"]?.GetValueKind() == JsonValueKind.String && FlushChoice(index, choice))
            {
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Puts what the choice's texts hold into the delta of its finish chunk.</summary>
    private bool FlushChoice(int index, JsonObject choice)
    {
        var changed = false;
        foreach (var (key, channel) in _open.Where(e => e.Key.Owner == index).ToList())
        {
            _open.Remove(key);
            var rest = channel.Flush();
            if (rest.Length == 0)
            {
                continue;
            }

            if (choice["delta"] is not JsonObject delta)
            {
                choice["delta"] = delta = [];
            }

            changed = true;
            if (key.Kind < OpenAiTextFields.Length)
            {
                var field = OpenAiTextFields[key.Kind];
                delta[field] = StringOf(delta[field]) + rest;
                continue;
            }

            var callIndex = key.Kind - OpenAiTextFields.Length;
            if (delta["tool_calls"] is not JsonArray calls)
            {
                delta["tool_calls"] = calls = [];
            }

            var call = calls.OfType<JsonObject>().FirstOrDefault(x => IntOf(x["index"]) == callIndex);
            if (call is null)
            {
                calls.Add(call = new JsonObject { ["index"] = callIndex });
            }

            if (call["function"] is not JsonObject function)
            {
                call["function"] = function = [];
            }

            function["arguments"] = StringOf(function["arguments"]) + rest;
        }

        return changed;
    }

    private bool OnAnthropicEvent(JsonObject root, IBufferWriter<byte> output)
    {
        var type = StringOf(root["type"]);
        var index = IntOf(root["index"]) ?? 0;
        switch (type)
        {
            case "content_block_start" when root["content_block"] is JsonObject block:
                return StringOf(block["type"]) switch
                {
                    "text" => PushField(block, "text", index, 0, jsonText: false),
                    "thinking" => PushField(block, "thinking", index, 1, jsonText: false),
                    _ => false,
                };
            case "content_block_delta" when root["delta"] is JsonObject delta:
                return StringOf(delta["type"]) switch
                {
                    "text_delta" => PushField(delta, "text", index, 0, jsonText: false),
                    "thinking_delta" => PushField(delta, "thinking", index, 1, jsonText: false),
                    "input_json_delta" => PushField(delta, "partial_json", index, 2, jsonText: true),
                    _ => false,
                };
            case "content_block_stop":
                FlushBlocks(index, output);
                return false;
            case "message_delta" or "message_stop":
                FlushAll(output);
                return false;
            default:
                return false;
        }
    }

    /// <summary>Writes a <c>content_block_delta</c> with what the block's texts hold, before its stop event.</summary>
    private void FlushBlocks(int? index, IBufferWriter<byte> output)
    {
        foreach (var (key, channel) in _open.Where(e => index is null || e.Key.Owner == index).ToList())
        {
            _open.Remove(key);
            var rest = channel.Flush();
            if (rest.Length == 0)
            {
                continue;
            }

            var delta = key.Kind switch
            {
                0 => new JsonObject { ["type"] = "text_delta", ["text"] = rest },
                1 => new JsonObject { ["type"] = "thinking_delta", ["thinking"] = rest },
                _ => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = rest },
            };
            WriteEvent("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = key.Owner, ["delta"] = delta }, output);
        }
    }

    /// <summary>Releases every text still held: an extra chunk (OpenAI) or extra deltas (Anthropic).</summary>
    private void FlushAll(IBufferWriter<byte> output)
    {
        if (_open.Count == 0)
        {
            return;
        }

        if (_endpoint == EndpointKind.Messages)
        {
            FlushBlocks(null, output);
            return;
        }

        var choices = new JsonArray();
        foreach (var index in _open.Keys.Select(k => k.Owner).Distinct().Order().ToList())
        {
            var choice = new JsonObject { ["index"] = index, ["delta"] = new JsonObject(), ["finish_reason"] = null };
            if (FlushChoice(index, choice))
            {
                choices.Add(choice);
            }
        }

        if (choices.Count == 0)
        {
            return;
        }

        var chunk = new JsonObject
        {
            ["id"] = _lastChunk?["id"]?.DeepClone(),
            ["object"] = "chat.completion.chunk",
            ["created"] = _lastChunk?["created"]?.DeepClone(),
            ["model"] = _lastChunk?["model"]?.DeepClone(),
            ["choices"] = choices,
        };
        WriteEvent(null, chunk, output);
    }

    private bool PushField(JsonNode? holder, string field, int owner, int kind, bool jsonText)
    {
        if (holder?[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        var key = (owner, kind);
        if (!_open.TryGetValue(key, out var channel))
        {
            channel = new Channel(
                _masker is null ? null : new StreamingTextMasker(_masker, _tenant, _placeholders, _holdBack),
                _placeholders.Count > 0 ? new StreamingPlaceholderRestorer(_placeholders, jsonText) : null);
            _open[key] = channel;
            _all.Add(channel);
        }

        var text = value.GetValue<string>();
        var released = channel.Push(text);
        if (string.Equals(released, text, StringComparison.Ordinal))
        {
            return false;
        }

        holder[field] = released;
        return true;
    }

    /// <summary>Masks and restores one string of a whole answer.</summary>
    private bool MaskField(JsonNode? holder, string field, bool jsonText)
    {
        if (holder?[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        var text = value.GetValue<string>();
        var result = MaskText(text, jsonText);
        if (string.Equals(result, text, StringComparison.Ordinal))
        {
            return false;
        }

        holder[field] = result;
        return true;
    }

    /// <summary>Masks and restores every string value inside a JSON value (a tool_use input).</summary>
    private bool MaskStrings(JsonNode? node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    changed |= obj[name] is JsonValue ? MaskField(obj, name, jsonText: false) : MaskStrings(obj[name]);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        var text = v.GetValue<string>();
                        var result = MaskText(text, jsonText: false);
                        if (!string.Equals(result, text, StringComparison.Ordinal))
                        {
                            array[i] = result;
                            changed = true;
                        }
                    }
                    else
                    {
                        changed |= MaskStrings(array[i]);
                    }
                }

                break;
        }

        return changed;
    }

    private string MaskText(string text, bool jsonText)
    {
        if (_masker is not null)
        {
            var result = _masker.Mask(text, _tenant, _placeholders);
            foreach (var (label, count) in result.Found)
            {
                _found[label] = _found.GetValueOrDefault(label) + count;
            }

            text = result.Text;
        }

        return _placeholders.Count > 0 ? _placeholders.Restore(text, jsonText) : text;
    }

    private void WriteEvent(string? eventName, JsonNode data, IBufferWriter<byte> output)
    {
        if (eventName is not null)
        {
            output.Write("event: "u8);
            output.Write(System.Text.Encoding.UTF8.GetBytes(eventName));
            output.Write("\n"u8);
        }

        output.Write("data: "u8);
        Write(data, output);
        output.Write("\n\n"u8);
    }

    private void Write(JsonNode node, IBufferWriter<byte> output)
    {
        var writer = _writer ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        node.WriteTo(writer);
        writer.Flush();
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static int ToolKind(int callIndex) => OpenAiTextFields.Length + callIndex;

    private static int? IntOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var n) ? n : null;

    private readonly struct StreamState(ResponseMasker masker, IBufferWriter<byte> output)
    {
        public ResponseMasker Masker { get; } = masker;

        public IBufferWriter<byte> Output { get; } = output;
    }

    /// <summary>One streamed text: masked with a hold-back, then its placeholders restored.</summary>
    private sealed class Channel(StreamingTextMasker? masker, StreamingPlaceholderRestorer? restorer)
    {
        public IReadOnlyDictionary<string, int> Found => masker?.Found ?? System.Collections.Frozen.FrozenDictionary<string, int>.Empty;

        public bool Holding => restorer?.Holding == true;

        public string Push(string piece)
        {
            var text = masker is null ? piece : masker.Push(piece);
            return restorer is null ? text : restorer.Push(text);
        }

        public string Flush()
        {
            var text = masker?.Flush() ?? string.Empty;
            return restorer is null ? text : restorer.Push(text) + restorer.Flush();
        }
    }
}

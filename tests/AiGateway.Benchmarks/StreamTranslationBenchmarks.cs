using System.Buffers;
using AiGateway.Core.Streaming;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// 100-event SSE streams fed one event per chunk. <c>OperationsPerInvoke = 100</c>: the reported mean and
/// allocation are per chunk (the translator's creation is spread over the 100 chunks of its stream).
/// </summary>
[MemoryDiagnoser]
public class StreamTranslationBenchmarks
{
    private const int Events = 100;
    private const long Created = 1731679200;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly SseEventSplitter _splitter = new();
    private byte[][] _openAiChunks = [];
    private byte[][] _anthropicChunks = [];
    private AnthropicToOpenAiTranslator _messages = null!;
    private ParsedRequest _messagesRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _openAiChunks = BenchmarkFixtures.EventChunks("openai-stream-100.sse");
        _anthropicChunks = BenchmarkFixtures.EventChunks("anthropic-stream-100.sse");
        if (_openAiChunks.Length != Events || _anthropicChunks.Length != Events)
        {
            throw new InvalidOperationException($"expected {Events} events, got {_openAiChunks.Length} and {_anthropicChunks.Length}");
        }

        // The client did not ask for usage: the usage chunk must be hidden and usage still read.
        var usage = OpenAiStream();
        var openAiOut = _output.WrittenCount;
        if (!usage.Reported || openAiOut >= _openAiChunks.Sum(c => c.Length))
        {
            throw new InvalidOperationException("the OpenAI usage chunk was not read or not filtered");
        }

        if (!AnthropicStream().Reported || !_output.WrittenSpan.EndsWith("data: [DONE]\n\n"u8))
        {
            throw new InvalidOperationException("the Anthropic stream did not translate to a complete OpenAI stream");
        }

        _messages = new AnthropicToOpenAiTranslator(new OpenAiToOpenAiTranslator(EndpointKind.ChatCompletions));
        _messagesRequest = Core.Schemas.Anthropic.AnthropicRequestReader.Read("""{"model":"gpt-4o","max_tokens":512,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""u8.ToArray(), out _)!;
        if (!OpenAiToMessagesStream().Reported || !_output.WrittenSpan.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8))
        {
            throw new InvalidOperationException("the OpenAI stream did not translate to a complete Anthropic event stream");
        }

        if (SplitterFeed() != Events)
        {
            throw new InvalidOperationException("SseEventSplitter did not see every event");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _splitter.Dispose();

    [Benchmark(OperationsPerInvoke = Events, Description = "OpenAI stream, usage chunk hidden (per chunk)")]
    public Core.Tokens.TokenUsage OpenAiStream()
    {
        _output.ResetWrittenCount();
        using var translator = new OpenAiResponseTranslator(requestedStream: true, clientWantsUsage: false);
        translator.OnHeaders(200, "text/event-stream", endOfStream: false);
        var chunks = _openAiChunks;
        for (var i = 0; i < chunks.Length; i++)
        {
            translator.OnBody(chunks[i], endOfStream: i == chunks.Length - 1, _output);
        }

        return translator.Usage;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Anthropic stream -> OpenAI (per chunk)")]
    public Core.Tokens.TokenUsage AnthropicStream()
    {
        _output.ResetWrittenCount();
        using var translator = new AnthropicResponseTranslator("claude-sonnet-4-5", requestedStream: true, clientWantsUsage: false, Created);
        translator.OnHeaders(200, "text/event-stream", endOfStream: false);
        var chunks = _anthropicChunks;
        for (var i = 0; i < chunks.Length; i++)
        {
            translator.OnBody(chunks[i], endOfStream: i == chunks.Length - 1, _output);
        }

        return translator.Usage;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "OpenAI stream -> Anthropic events (per chunk)")]
    public Core.Tokens.TokenUsage OpenAiToMessagesStream()
    {
        _output.ResetWrittenCount();
        using var translator = _messages.CreateResponseTranslator(_messagesRequest);
        translator.OnHeaders(200, "text/event-stream", endOfStream: false);
        var chunks = _openAiChunks;
        for (var i = 0; i < chunks.Length; i++)
        {
            translator.OnBody(chunks[i], endOfStream: i == chunks.Length - 1, _output);
        }

        return translator.Usage;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "SseEventSplitter.Feed, OpenAI stream (per chunk)")]
    public int SplitterFeed()
    {
        var count = 0;
        var chunks = _openAiChunks;
        for (var i = 0; i < chunks.Length; i++)
        {
            _splitter.Feed(chunks[i], ref count, static (ref int n, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data) => n++);
        }

        return count;
    }
}
